// The values a user can choose come from the agent (its `vocabulary`, sent when the window
// connects), so the page never keeps its own list of them; this module only adds the words
// a person reads. Until the agent has answered, the lists are empty or the defaults below.

const AREA_LABELS = { lower: 'Lower back', middle: 'Middle back', upper: 'Upper back', neck: 'Neck' };
const FALLBACK_VIEWS = ['session', 'routines', 'history', 'guide', 'settings', 'about'];

/** [[id, label]] for the back areas the agent knows. */
export function backAreas(state) {
  const ids = state?.vocabulary?.back_areas ?? Object.keys(AREA_LABELS);
  return ids.map((id) => [id, AREA_LABELS[id] ?? id]);
}

export function areaLabel(id) {
  return AREA_LABELS[id] ?? id;
}

/** The screens the window has. */
export function views(state) {
  return state?.vocabulary?.views ?? FALLBACK_VIEWS;
}

/** The longest note a check-in keeps. */
export function noteMaxChars(state) {
  return state?.vocabulary?.note_max_chars ?? 280;
}

/** The score range of a check-in. */
export function scoreRange(state) {
  return state?.vocabulary?.score ?? { min: 0, max: 10 };
}

/** The heat / ice timer's lengths: {min, max, default}. */
export function therapyMinutes(state) {
  return state?.vocabulary?.therapy_minutes ?? { min: 5, max: 20, default: 15 };
}

/** [{value, label}] of the pause lengths. */
export function pauseLengths(state) {
  return state?.vocabulary?.pause_lengths ?? [];
}
