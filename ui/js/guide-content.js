// Everything the Guide screen and the first-run welcome say about backs.
//
// The words are Limber's own, paraphrased from four public pages kept in the project's
// seeds. Each item keeps `source: {seed, quote}` (or a list of them): the exact seed
// sentence it follows, for traceability. Quotes are never shown in the window.
//
// Nothing here may claim to diagnose or treat, and no product is named.

/** The seed pages, named in words as the window shows them. */
export const SOURCES = {
  '002': { name: '“Why Back Muscles Hurt and What You Can Do About It”', role: 'the main article' },
  '001': { name: '“Heat Therapy for Back Pain”', role: 'a page about using heat' },
  '003': { name: 'a questions-and-answers page about sore backs', role: 'common questions' },
  '000': { name: 'an article on burning upper-back pain', role: 'upper-back pain' },
};

/** "From: “Why Back Muscles Hurt…” and “Heat Therapy for Back Pain”" */
export function fromLine(seeds) {
  const names = seeds.map((seed) => SOURCES[seed].name);
  const joined = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `From: ${joined}`;
}

/** Said plainly near the top of the guide and in the welcome. */
export const DISCLAIMER = {
  text: 'Limber shares general information from four public back-care pages, listed at the end of this guide. '
    + 'It does not diagnose anything and it is not a treatment. '
    + 'For questions about your own back, a health professional such as your doctor or a physiotherapist is the one to ask.',
};

// ---------- 1. when to get help ----------

export const RED_FLAGS = {
  id: 'red-flags',
  title: 'When to get help',
  cardHeading: 'When to get help',
  seeds: ['002', '000', '003'],
  heading: 'Don’t stretch — get medical help now if…',
  intro: {
    text: 'These signs are rare. Most of them are on the main article’s list of emergencies; the note under each one says why it is here. '
      + 'If one of them fits, leave the stretches for another day.',
    source: [
      { seed: '002', quote: 'These emergencies are rare.' },
      { seed: '002', quote: 'But there are times—rare, but critical—when back pain signals something far more serious.' },
    ],
  },
  items: [
    {
      id: 'bladder',
      text: 'You suddenly can’t control your bladder or bowels',
      detail: 'The article calls this the most urgent sign of all.',
      source: { seed: '002', quote: 'Sudden loss of bowel or bladder control is the most urgent red flag.' },
    },
    {
      id: 'saddle',
      text: 'Your groin or “saddle” area goes numb',
      detail: 'That means the inner thighs, buttocks and genitals: the skin that would rest on a saddle.',
      source: { seed: '002', quote: `This refers to numbness in the regions that would touch a saddle if you were riding a horse—your inner thighs, buttocks, and genital area.` },
    },
    {
      id: 'leg-weakness',
      text: 'A leg turns weak, or weaker than it was',
      detail: 'One leg or both. The main article says weakness that is new or getting worse needs attention at once.',
      source: [
        { seed: '002', quote: 'New or worsening weakness in one or both legs needs immediate attention.' },
        { seed: '002', quote: 'Some people notice weakness in their legs or difficulty lifting their foot (called foot drop).' },
      ],
    },
    {
      id: 'numbness',
      text: 'New numbness or tingling in a leg, an arm or a hand',
      detail: 'It can mean a nerve is being pressed. The main article says new signs like these are a reason not to wait.',
      source: [
        { seed: '002', quote: 'Weakness, numbness, or tingling in your legs is particularly concerning.' },
        { seed: '002', quote: `These neurological symptoms suggest nerve compression and shouldn't be ignored.` },
        { seed: '002', quote: `If something feels seriously wrong—if your pain seems different from typical muscle soreness, if you're developing new neurological symptoms, or if you're experiencing any of the red flags we've discussed—don't wait.` },
        { seed: '000', quote: 'Numbness or weakness: If you notice any numbness or weakness in your arms, hands, or legs.' },
      ],
    },
    {
      id: 'fever',
      text: 'Your back hurts and you have a fever',
      detail: 'Together, the two can point to an infection around the spine.',
      source: [
        { seed: '002', quote: `When your back muscles hurt and you're also running a high fever, this combination should raise immediate concern.` },
        { seed: '002', quote: 'A fever with back pain can signal a spinal infection, such as a spinal abscess, discitis (infection of the disc space), or osteomyelitis (bone infection).' },
      ],
    },
    {
      id: 'weight',
      text: 'Weight is dropping off without you trying',
      detail: 'Weight loss you can’t explain, alongside back pain, needs looking into quickly.',
      source: { seed: '002', quote: 'Unexplained weight loss accompanying back pain is another serious warning sign.' },
    },
    {
      id: 'trauma',
      text: 'The pain began after a serious fall, a crash or a blow to the back, or after even a small fall if your bones are thin (osteoporosis)',
      detail: 'A bone may be broken. After a serious injury, the article says to have it checked in an emergency setting, with scans. '
        + 'Any back pain after an injury should be checked, even if it seems mild at first.',
      source: [
        { seed: '002', quote: `If your back pain follows a significant trauma—a serious fall, a car accident, a direct blow to your back—there's a real possibility of fracture or other structural damage.` },
        { seed: '002', quote: 'This is especially concerning for older adults with osteoporosis, where even minor falls can cause vertebral compression fractures.' },
        { seed: '002', quote: 'After any major trauma, back pain should be evaluated in an emergency setting with imaging to rule out fractures or spinal cord injury.' },
        { seed: '002', quote: `Pain following an injury—whether it's a fall, car accident, or other significant trauma—should always be evaluated professionally, even if the pain doesn't seem severe at first.` },
      ],
    },
    {
      id: 'worsening',
      text: 'Severe pain keeps getting worse, especially at night',
      detail: 'No position or rest brings relief, or it wakes you night after night and grows stronger.',
      source: [
        { seed: '002', quote: `Severe pain that's progressively worsening and doesn't respond to any position or treatment can also be a red flag.` },
        { seed: '002', quote: `If your pain is keeping you awake night after night and seems to be intensifying rather than gradually improving, it's time for urgent medical evaluation.` },
      ],
    },
    {
      id: 'chest',
      text: 'Upper- or mid-back pain comes with chest pain, breathlessness, dizziness or nausea',
      detail: 'Trouble in the heart or other organs can be felt in the back, often unlike ordinary muscle soreness. The upper-back article says to get medical help for these.',
      source: [
        { seed: '000', quote: 'Accompanying symptoms: If the burning pain is accompanied by chest pain, shortness of breath, dizziness, or any other concerning symptoms.' },
        { seed: '002', quote: 'Referred pain from internal organs—like your gallbladder, pancreas, or even your heart—can sometimes masquerade as back pain.' },
        { seed: '002', quote: `While this is less frequent, it's worth keeping in mind, especially if the pain feels different from typical muscle soreness or comes with other symptoms like fever, nausea, or shortness of breath.` },
      ],
    },
  ],
  action: {
    text: 'Go to an emergency department or call your local emergency number (911 in the US). '
      + 'If anything feels seriously wrong or unlike ordinary muscle soreness, trust that feeling and don’t wait.',
    source: [
      { seed: '002', quote: 'Head to the emergency room or call 911.' },
      { seed: '002', quote: `If something feels seriously wrong—if your pain seems different from typical muscle soreness, if you're developing new neurological symptoms, or if you're experiencing any of the red flags we've discussed—don't wait.` },
    ],
  },
};

export const SEE_PRO = {
  heading: 'See a health professional soon if…',
  items: [
    {
      id: 'weeks',
      text: 'It has hurt for more than a few weeks',
      detail: 'Or it is no better after one to two weeks of looking after it at home.',
      source: [
        { seed: '002', quote: 'Pain that persists beyond a few weeks deserves professional attention.' },
        { seed: '002', quote: 'If your back muscles hurt for more than one to two weeks without significant improvement despite home care, something more might be going on that needs evaluation.' },
      ],
    },
    {
      id: 'home-week',
      text: 'A week of care at home hasn’t helped',
      detail: 'Or the pain is getting worse rather than better.',
      source: [
        { seed: '003', quote: 'Call your doctor if your back pain hasn’t improved after a week of home treatment' },
        { seed: '002', quote: `If your pain hasn't improved after a couple of weeks, or if it's getting worse instead of better, that's your signal to see a healthcare provider.` },
      ],
    },
    {
      id: 'leg',
      text: 'Pain runs down a leg, especially past the knee',
      detail: 'That pattern often means a nerve is irritated (sciatica), which needs a proper diagnosis.',
      source: { seed: '002', quote: 'Pain radiating down your legs, especially if it extends below the knee, often indicates nerve involvement like sciatica.' },
    },
    {
      id: 'nerve',
      text: 'Numbness, tingling or weakness that isn’t new but hasn’t been checked',
      detail: 'In a leg, an arm or a hand. It can come from a pressed nerve, so have it looked at. If it is new or getting worse, it belongs in the list above.',
      source: [
        { seed: '002', quote: `These neurological symptoms suggest nerve compression and shouldn't be ignored.` },
        { seed: '000', quote: 'Numbness or weakness: If you notice any numbness or weakness in your arms, hands, or legs.' },
      ],
    },
    {
      id: 'kidney',
      text: 'Pain low in your back or side, with changes when you pass urine',
      detail: 'Kidney trouble, such as an infection or stones, can be felt there. With a fever as well, get help now.',
      source: { seed: '002', quote: 'Kidney infections or kidney stones often cause pain in the lower back or flank area, sometimes accompanied by fever or changes in urination.' },
    },
    {
      id: 'severe',
      text: 'Severe pain that rest doesn’t ease',
      detail: 'Even lying down doesn’t take the edge off, or home care and ordinary painkillers don’t help.',
      source: [
        { seed: '002', quote: 'Severe pain that doesn\'t respond to rest is another red flag.' },
        { seed: '000', quote: 'Severe or persistent pain: If the pain is severe or doesn’t improve with home remedies or over-the-counter medications.' },
      ],
    },
  ],
  therapist: {
    text: 'A physiotherapist can assess your back and plan exercises that suit you.',
    source: { seed: '002', quote: 'A physical therapist can be an invaluable partner in your recovery, providing thorough assessment and guiding you through a personalized recovery plan.' },
  },
  whileStretching: {
    text: 'While you stretch: if a movement makes your pain worse, stop and try something gentler.',
    source: { seed: '002', quote: 'If something increases your pain, stop and try a gentler approach.' },
  },
};

// ---------- 2. ice and heat ----------

/**
 * Cautions before using heat, from the heat-therapy page (seed 001). Shown among the
 * Guide's ice-and-heat rules, and meant to be shown too the first time heat is started
 * from the tray: each reads as one line, `${lead} ${text}`.
 */
export const HEAT_CAUTIONS = [
  {
    id: 'heat-short',
    lead: 'Start short with heat:',
    text: 'keep your first few sessions brief.',
    source: { seed: '001', quote: 'It’s important to limit the exposure to heat in the beginning.' },
  },
  {
    id: 'pad-off',
    lead: 'Heating pads:',
    text: 'keep the temperature low and never fall asleep on one. Switch it off before bed and before you go out: left on, it can overheat you or start a fire.',
    source: [
      { seed: '001', quote: 'Heating pads are another great choice, but it’s important to set the correct temperature.' },
      { seed: '001', quote: 'Remember to turn them off before leaving the house and before going to sleep; otherwise, you can risk overheating your body and starting appliance fires.' },
    ],
  },
  {
    id: 'moisturise',
    lead: 'Dry heat dries the skin:',
    text: 'after a long spell with a heating pad or other dry heat, put on some moisturiser.',
    source: [
      { seed: '001', quote: 'While dry heat can be used throughout the day, it may dry out the skin.' },
      { seed: '001', quote: 'It’s important to use skin moisturizer when applying dry heat to the skin for an extended time.' },
    ],
  },
  {
    id: 'ask-doctor',
    lead: 'Before you start using heat,',
    text: 'talk to a doctor, above all if you have a health condition: some people with poor circulation get burned by it.',
    source: [
      { seed: '001', quote: 'Always talk with a doctor or healthcare provider before starting any heat therapy program.' },
      { seed: '001', quote: 'Some people with circulatory health issues may experience burns when applying heat to certain parts of the body.' },
    ],
  },
];

export const THERAPY = {
  id: 'therapy',
  title: 'Ice or heat',
  seeds: ['002', '001', '003'],
  heading: 'Ice or heat, with a timer',
  intro: {
    text: 'Cold and warmth are simple ways to ease a sore back at home. Which one to use depends mostly on how fresh the pain is.',
    source: { seed: '002', quote: `This is probably the question we hear most often, and the answer is: it depends on timing and what's happening with your back muscles hurt.` },
  },
  minutes: {
    min: 15,
    max: 20,
    source: { seed: '002', quote: 'Apply ice for 15 to 20 minutes at a time, several times throughout the day.' },
    /** Shorter lengths the timer also offers, for first heat sessions. */
    short: [5, 10],
    shortSource: { seed: '001', quote: 'It’s important to limit the exposure to heat in the beginning.' },
  },
  rules: [
    {
      id: 'ice-first',
      lead: 'Ice comes first:',
      text: 'for the first day or two after a new strain or a sudden flare-up.',
      source: { seed: '002', quote: 'For the first 24 to 48 hours after an acute injury or sudden flare-up, reach for the ice pack.' },
    },
    {
      id: 'heat-after',
      lead: 'Heat comes after:',
      text: 'once those first two days are over, and for stiffness you have had for a long time rather than a fresh injury.',
      source: { seed: '002', quote: `Once you're past that 48-hour mark, or if you're dealing with chronic muscle stiffness and tension (not a fresh injury), heat therapy becomes more beneficial.` },
    },
    {
      id: 'length',
      lead: '15–20 minutes each time.',
      text: 'Ice can be repeated a few times over the day.',
      source: [
        { seed: '002', quote: 'Apply ice for 15 to 20 minutes at a time, several times throughout the day.' },
        { seed: '003', quote: 'Apply it to your sore back for 15 to 20 minutes at a time.' },
      ],
    },
    {
      id: 'towel',
      lead: 'Never put ice on bare skin:',
      text: 'wrap it in a thin towel so the cold can’t burn you.',
      source: { seed: '002', quote: 'Just remember to put a thin towel between the ice and your skin to prevent ice burn.' },
    },
    {
      id: 'moist',
      lead: 'Moist warmth often works best:',
      text: 'a warm bath, a shower or a hot pack. An electric heating pad is another option.',
      source: { seed: '003', quote: 'Moist heat — baths, showers, and hot packs — tends to work better.' },
    },
    ...HEAT_CAUTIONS,
    {
      id: 'epsom',
      lead: 'Epsom salts:',
      text: 'skip them in the bath if you have kidney disease or another metabolic condition.',
      source: { seed: '001', quote: 'However, Epsom salts should not be used by anyone with kidney disease or other metabolic issues.' },
    },
    {
      id: 'stretching',
      lead: 'Around a stretch:',
      text: 'some people warm up with heat before stretching and use ice afterwards.',
      source: { seed: '002', quote: 'Some people find alternating between heat and ice helpful—using heat before stretching to warm up the muscles, then ice afterward to calm any residual inflammation.' },
    },
    {
      id: 'worse',
      lead: 'Stop',
      text: 'if the cold or the warmth makes your pain worse.',
      source: { seed: '002', quote: 'If something makes the pain worse, stop using it.' },
    },
  ],
  /** The words of the agent's suggestion (`status.pain.suggest`): ice in the first two days after the pain began, heat after. */
  suggest: {
    source: { seed: '002', quote: 'For the first 24 to 48 hours after an acute injury or sudden flare-up, reach for the ice pack.' },
    unset: 'Tell Limber the day your pain started (under “How long has it hurt?”) and it will suggest ice or heat by the article’s rule: ice for the first day or two after the pain begins, then heat.',
    future: 'The start date you gave is in the future, so there is no suggestion yet.',
    ice: (when) => `Your pain started ${when}, so it is still in its first two days: the article’s rule points to ice.`,
    heat: (when) => `Your pain started ${when}, so its first two days are over: the article’s rule points to heat. If it has just flared up again, ice suits the first day or two of a flare-up.`,
  },
  labels: { ice: 'Ice', heat: 'Heat' },
  running: { ice: 'Ice on', heat: 'Heat on' },
  done: { ice: 'Time’s up: take the ice off.', heat: 'Time’s up: take the heat off.' },
};

// ---------- 3. how long has it hurt? ----------

export const STAGES = {
  id: 'stage',
  title: 'How long has it hurt?',
  seeds: ['002', '001'],
  heading: 'How long has it hurt?',
  intro: {
    text: 'The main article sorts back pain by how long it has lasted, and its advice changes with each stage.',
    source: { seed: '002', quote: 'How long your back muscles hurt influences both the diagnosis and the most effective treatment approach.' },
  },
  future: 'That date hasn’t come yet. Pick the day the pain began: today at the latest.',
  stages: [
    {
      id: 'acute',
      name: 'Acute',
      range: 'less than 4 weeks',
      fromDays: 0,
      toDays: 28,
      about: {
        text: 'It usually starts suddenly. Most acute pain clears up without help in anywhere from a few days to a fortnight.',
        source: [
          { seed: '002', quote: 'Acute back pain comes on suddenly and lasts less than four weeks.' },
          { seed: '002', quote: 'Most acute back pain resolves on its own within a few days to two weeks with basic home care like rest (but not bed rest), ice or heat, and gentle movement.' },
        ],
      },
      advice: {
        text: 'Take it easy without staying in bed, use ice or heat, move gently, and protect the sore area while it heals.',
        source: [
          { seed: '002', quote: 'Most acute back pain resolves on its own within a few days to two weeks with basic home care like rest (but not bed rest), ice or heat, and gentle movement.' },
          { seed: '002', quote: 'For acute pain, the focus is on symptom relief and protecting the injured area while it heals.' },
        ],
      },
      see: {
        text: 'See a professional if it has not improved within a week or two, or if it is getting worse.',
        source: { seed: '002', quote: `If your pain hasn't improved after a couple of weeks, or if it's getting worse instead of better, that's your signal to see a healthcare provider.` },
      },
    },
    {
      id: 'subacute',
      name: 'Subacute',
      range: '4 to 12 weeks',
      fromDays: 28,
      toDays: 84,
      about: {
        text: 'The middle stage: the pain has stayed past the one-month mark.',
        source: { seed: '002', quote: 'Subacute pain is the in-between stage, lasting from four to twelve weeks.' },
      },
      advice: {
        text: 'Time to be more active about it. Gentle exercises and stretches matter most now, aiming to get full movement back and to keep the pain from returning.',
        source: [
          { seed: '002', quote: `If your back pain has stuck around past the one-month mark, it's time to be more proactive.` },
          { seed: '002', quote: 'This is when gentle exercises and stretches become crucial.' },
          { seed: '002', quote: 'During the subacute phase, the emphasis moves to restoring full function and preventing recurrence.' },
        ],
      },
      see: {
        text: 'Pain lasting beyond a few weeks deserves a professional’s attention. A physiotherapist at this stage can help stop it from becoming long-term.',
        source: [
          { seed: '002', quote: 'Pain that persists beyond a few weeks deserves professional attention.' },
          { seed: '002', quote: 'Physical therapy during this phase can prevent your pain from settling in for the long haul.' },
        ],
      },
    },
    {
      id: 'chronic',
      name: 'Chronic',
      range: '12 weeks or more',
      fromDays: 84,
      toDays: Infinity,
      about: {
        text: 'At this stage pain can go on even once the first injury has mended. Stress, sleep and how you think about the pain can all change how much it hurts.',
        source: [
          { seed: '002', quote: 'Chronic back pain persists for twelve weeks or longer, even after the original injury has healed.' },
          { seed: '002', quote: 'Your nervous system has essentially learned the pain pattern, and factors like stress, sleep quality, and even your thoughts about the pain can influence how much you hurt.' },
        ],
      },
      advice: {
        text: 'A wider approach: besides the physical side, look at stress, sleep, nutrition and long-term habits.',
        source: { seed: '002', quote: `Yes, you still need to address physical symptoms, but you're also looking at the bigger picture: stress management, sleep hygiene, psychological factors, nutrition, and long-term lifestyle modifications.` },
      },
      see: {
        text: 'Talk with a doctor about pain this long-lasting; it often takes several kinds of professional working together.',
        source: [
          { seed: '001', quote: 'While it’s important to talk with a doctor if you’re experiencing chronic pain, moderate pain can often be relieved through heat therapy, especially combined with ice and physical therapy.' },
          { seed: '002', quote: 'Chronic pain demands a multidisciplinary approach.' },
        ],
      },
    },
  ],
};

// ---------- 4. muscle or nerve? ----------

export const COMPARISON = {
  id: 'muscle-or-nerve',
  title: 'Muscle or nerve?',
  seeds: ['002'],
  heading: 'Muscle or nerve?',
  intro: {
    text: 'A strained muscle and an irritated nerve tend to feel different. The article compares them like this.',
    source: { seed: '002', quote: 'Disc problems and nerve compression present very differently.' },
  },
  caption: 'Typical signs of muscle pain and of disc or nerve pain, in Limber’s words',
  columns: ['Muscle strain or spasm', 'Disc or nerve problem'],
  rows: [
    {
      id: 'type',
      label: 'Type of pain',
      muscle: 'A dull, throbbing ache; stiff and sore',
      nerve: 'Sharp and shooting, or burning like an electric jolt; it may stab',
      source: { seed: '002', quote: '| Type of Pain | Dull ache, throbbing, stiffness, soreness | Sharp, shooting, burning, electrical, stabbing |' },
    },
    {
      id: 'where',
      label: 'Where it is',
      muscle: 'In one spot you can put a finger on',
      nerve: 'Often travels down a leg (sciatica), or down an arm when the trouble is in the neck',
      source: [
        { seed: '002', quote: '| Location | Localized to a specific area of the back | Often radiates down arms or legs (sciatica) |' },
        { seed: '002', quote: 'This often causes sciatica – that distinctive shooting pain that travels down your leg.' },
        { seed: '002', quote: `The telltale sign is that it doesn't stay put—it radiates down your leg (or arm, if it's in your neck), often following a specific pathway.` },
      ],
    },
    {
      id: 'onset',
      label: 'How it starts',
      muscle: 'Suddenly after an activity, or slowly through overuse',
      nerve: 'Suddenly (say, after lifting) or slowly',
      source: { seed: '002', quote: '| Onset | Often sudden after activity, or gradual from overuse | Can be sudden (e.g., after lifting) or gradual |' },
    },
    {
      id: 'worse',
      label: 'What makes it worse',
      muscle: 'Moving, being active, certain positions',
      nerve: 'Sitting, leaning forward, coughing or sneezing, straining',
      source: { seed: '002', quote: '| Aggravating Factors | Movement, activity, specific postures | Sitting, bending forward, coughing, sneezing, straining |' },
    },
    {
      id: 'eases',
      label: 'What eases it',
      muscle: 'Rest, warmth, gentle stretches, massage',
      nerve: 'Sometimes lying down; certain positions; ice',
      source: { seed: '002', quote: '| Relieving Factors | Rest, heat, gentle stretching, massage | Lying down (sometimes), specific positions, ice |' },
    },
    {
      id: 'other',
      label: 'Other signs',
      muscle: 'Spasms; tender when pressed; you can’t move as far as usual',
      nerve: 'Numbness, tingling, weak arms or legs; foot drop (hard to lift the front of the foot)',
      source: [
        { seed: '002', quote: '| Accompanying Symptoms | Muscle spasms, tenderness to touch, reduced range of motion | Numbness, tingling, weakness in limbs, foot drop |' },
        { seed: '002', quote: 'Some people notice weakness in their legs or difficulty lifting their foot (called foot drop).' },
      ],
    },
  ],
  notes: [
    {
      id: 'overlap',
      text: 'The signs can overlap, so this table cannot tell you which one you have.',
      source: { seed: '002', quote: 'This is one of the trickiest questions, because the symptoms can sometimes overlap.' },
    },
    {
      id: 'muscle-eases',
      text: 'Muscle pain usually begins to ease within a few days if you look after it.',
      source: { seed: '002', quote: 'After a few days of proper care, muscle pain starts to improve.' },
    },
    {
      id: 'nerve-see',
      text: 'Pain that spreads, numbness or weakness: the article urges seeing a health professional for an accurate diagnosis.',
      source: { seed: '002', quote: `If you're experiencing any of those radiating symptoms, numbness, or weakness, we strongly encourage you to consult a healthcare professional for an accurate diagnosis.` },
    },
  ],
};

// ---------- 5. everyday habits ----------

export const HABITS = {
  id: 'habits',
  title: 'Everyday habits',
  seeds: ['002', '003'],
  heading: 'Everyday habits that help',
  intro: {
    text: 'Most of these are in your hands, and small changes add up.',
    source: { seed: '002', quote: 'Most of these factors are within our control to change, and even small adjustments can lead to significant improvements in how our backs feel day to day.' },
  },
  items: [
    {
      id: 'posture',
      title: 'Stack yourself up',
      text: 'Line your ears up above your shoulders and your shoulders above your hips, keeping the spine’s natural curves. Good posture is about alignment, not sitting stiffly.',
      source: [
        { seed: '002', quote: `It's about alignment: ears over shoulders, shoulders over hips, with your spine maintaining its natural curves.` },
        { seed: '002', quote: `Good posture isn't about sitting rigidly at attention.` },
      ],
    },
    {
      id: 'move',
      title: 'Move every hour',
      text: 'Long hours of sitting weaken the muscles that protect your spine. A short walk every hour, or a few easy stretches at your desk, helps: that is what Limber’s reminders are for.',
      source: [
        { seed: '002', quote: `A sedentary lifestyle doesn't just make our back muscles hurt in the moment—it actually weakens the very muscles designed to protect our spine.` },
        { seed: '002', quote: 'Even taking short walking breaks every hour or doing simple stretches at your desk can make a significant difference.' },
      ],
    },
    {
      id: 'lift',
      title: 'Lift with your legs',
      text: 'Squat down instead of bending at the waist, hold the object close to you, and let your leg muscles take the weight.',
      source: { seed: '002', quote: 'The proper technique—squatting down, keeping the object close to your body, and lifting with your leg muscles—distributes the load more evenly and protects your spine.' },
    },
    {
      id: 'core',
      title: 'Build your core',
      text: 'The muscles of your belly, lower back and pelvis work like a support belt for the spine. Planks and side planks help build them.',
      source: [
        { seed: '002', quote: 'Your core muscles—the ones in your abdomen, lower back, and pelvis—act like a natural support belt for your spine.' },
        { seed: '002', quote: 'Exercises like planks and side planks build this internal support system, taking pressure off your back muscles.' },
      ],
    },
    {
      id: 'weight',
      title: 'A healthy weight',
      text: 'Extra weight, especially around the middle, loads the lower back. Losing even a little can make back pain better for many people.',
      source: [
        { seed: '002', quote: 'Excess body weight, particularly around our midsection, adds considerable stress to our lower back.' },
        { seed: '002', quote: 'Losing even a modest amount of weight can significantly reduce back pain for many people.' },
      ],
    },
    {
      id: 'stress',
      title: 'Notice stress',
      text: 'Worry and stress make the shoulders, neck and back tense up, and many people hunch their shoulders toward their ears without noticing.',
      source: [
        { seed: '002', quote: `When we're anxious, worried, or overwhelmed, our bodies respond by tensing up, particularly in the shoulders, neck, and back.` },
        { seed: '002', quote: `Many of us unconsciously hunch our shoulders up toward our ears when we're stressed, creating constant tension in the trapezius and upper back muscles.` },
      ],
    },
    {
      id: 'smoking',
      title: 'Smoking',
      text: 'Nicotine narrows blood vessels, so the discs of the spine get less blood and wear out sooner. A smoker’s cough also jolts the spine again and again.',
      source: [
        { seed: '002', quote: 'Nicotine constricts blood vessels, reducing blood flow throughout the body—including to the discs in your spine.' },
        { seed: '002', quote: `When they don't get it, they degenerate faster, become more prone to injury, and heal more slowly when damaged.` },
        { seed: '002', quote: 'Additionally, chronic coughing from smoking places repetitive stress on the spine.' },
      ],
    },
    {
      id: 'keep-moving',
      title: 'Keep gently active when it hurts',
      text: 'Days in bed tend to make back pain worse. Take it easy for a day or two at most, then keep moving gently.',
      source: [
        { seed: '003', quote: 'Don’t rest for more than a day or two.' },
        { seed: '002', quote: 'This might surprise you, but staying in bed for days on end often makes back pain worse, not better.' },
      ],
    },
    {
      id: 'sleep',
      title: 'Sleeping on your back',
      text: 'Lying on your back presses on the spine; try a pillow beneath your knees.',
      source: [
        { seed: '003', quote: 'Sleep with a pillow under your knees.' },
        { seed: '003', quote: 'Sleeping on your back puts pressure on your spine.' },
      ],
    },
  ],
};

// ---------- 6. about ----------

export const ABOUT = {
  id: 'about',
  title: 'About this guide',
  heading: 'About this guide',
  text: 'Everything here is Limber’s own summary of four public web pages about back pain. '
    + 'It is general information only: not a diagnosis, not a treatment, and no replacement for a health professional who can examine you. '
    + 'The pages contain more than Limber repeats here.',
  listIntro: 'The pages:',
  seeds: ['002', '001', '003', '000'],
};

// ---------- the first-run welcome ----------

export const WELCOME = {
  title: 'Welcome to Limber',
  intro: 'Limber helps you sit less and move more. It reminds you to get up about once an hour and guides you through gentle back-care stretches, with a timer for every hold.',
  tray: 'It lives in your system tray and keeps counting while this window is closed.',
  disclaimer: 'Limber gives general information from public back-care pages. It does not diagnose or treat anything: a health professional is the one to ask about your back.',
  intervalLabel: 'Remind me to move every',
  intervalUnit: 'minutes',
  interval: {
    text: 'From 5 to 240 minutes. The guide’s main source suggests a short walk every hour. You can change this any time in Settings.',
    source: { seed: '002', quote: 'Even taking short walking breaks every hour or doing simple stretches at your desk can make a significant difference.' },
  },
  intervalError: 'Use a whole number of minutes from 5 to 240.',
  placeLegend: 'Where do you take your breaks?',
  places: [
    { routine: 'back-stretches', label: 'I can get on the floor',
      detail: 'Back stretches on a mat or carpet: knee-to-chest, a lying twist, cat-cow, bird-dog and child’s pose.' },
    { routine: 'hourly', label: 'Desk only',
      detail: 'The hourly break: a short walk and a few moves at your desk.' },
  ],
  placeHelp: 'Every break still offers all the routines. You can change this in Settings.',
  loginLabel: 'Start Limber when I log in',
  loginHelp: 'So your breaks keep coming after a restart. You can change this in Settings.',
  safetyTitle: 'Before you stretch',
  seeProHeading: 'See a health professional soon if…',
  done: 'Start using Limber',
  guide: 'Read the full guide',
};
