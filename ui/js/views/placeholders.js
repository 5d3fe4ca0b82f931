// Screens whose content arrives with later work. Each says plainly what will be here.

import { emptyState } from '../dom.js';

export const routines = (panel) => panel.replaceChildren(...emptyState(
  'routines-title', 'Routines',
  'Sets of stretches you can start from a break or at any time.',
  'No routines are installed yet. Built-in routines and the ones you make yourself will be listed here.'));

export const history = (panel) => panel.replaceChildren(...emptyState(
  'history-title', 'History',
  'Breaks taken, minutes moved, and how your back feels over time.',
  'Nothing recorded yet. Your breaks and stretch sessions will show up here.'));

export const guide = (panel) => panel.replaceChildren(...emptyState(
  'guide-title', 'Guide',
  'Back-care information in plain words. Limber does not diagnose or treat.',
  'The back-care guide is not available yet. Meanwhile: back pain that spreads down a leg, comes with numbness or weakness, or lasts more than a few weeks should be seen by a health professional.'));
