//! The posture cues of the posture check, in Limber's own words. Each keeps the seed
//! sentence it follows (shared/seeds), verbatim, for traceability; it is never shown. The
//! catalog's tests check that the sentences are verbatim and that no cue pastes a seed.

pub struct PostureCue {
    pub text: &'static str,
    /// The seed page the cue follows ("002").
    pub seed: &'static str,
    /// The sentence it follows, verbatim; never shown.
    pub source: &'static str,
}

pub const POSTURE_CUES: [PostureCue; 6] = [
    PostureCue {
        text: "Stack yourself up: head above your shoulders, shoulders above your hips.",
        seed: "002",
        source: "It's about alignment: ears over shoulders, shoulders over hips, with your spine maintaining its natural curves.",
    },
    PostureCue {
        text: "Let your shoulders drop away from your ears.",
        seed: "002",
        source: "Many of us unconsciously hunch our shoulders up toward our ears when we're stressed, creating constant tension in the trapezius and upper back muscles.",
    },
    PostureCue {
        text: "Is your head drifting forward toward the screen? Bring it back over your shoulders.",
        seed: "002",
        source: "If you're reading this on your phone right now, chances are your head is tilted forward, your shoulders are rounded, and your neck is carrying the weight of a bowling ball that's supposed to be balanced on your spine.",
    },
    PostureCue {
        text: "Sit tall without going stiff: your back keeps its natural curves.",
        seed: "002",
        source: "Good posture isn't about sitting rigidly at attention.",
    },
    PostureCue {
        text: "Slumping over the desk? Straighten up.",
        seed: "003",
        source: "Straighten up. Don’t slump over your desk.",
    },
    PostureCue {
        text: "Looking down at your phone? Let your head come back up, balanced over your shoulders.",
        seed: "002",
        source: "All those hours hunched over your laptop, slouching on the couch, or craning your neck down at your phone add up.",
    },
];

/// The cue for the n-th posture check: they come in turn.
pub fn cue(n: usize) -> &'static str {
    POSTURE_CUES[n % POSTURE_CUES.len()].text
}
