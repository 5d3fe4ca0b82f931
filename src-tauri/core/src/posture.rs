//! The posture cues of the posture check, in Limber's own words. Each follows a sentence
//! of the source article (shared/seeds/002, "upper back pain" and "good posture" parts);
//! the comment beside each says which.

pub struct PostureCue {
    pub text: &'static str,
    /// What in the source it follows.
    pub source: &'static str,
}

pub const POSTURE_CUES: [PostureCue; 6] = [
    PostureCue {
        text: "Stack yourself up: ears over shoulders, shoulders over hips.",
        source: "Good posture is alignment: ears over shoulders, shoulders over hips, natural curves kept.",
    },
    PostureCue {
        text: "Let your shoulders drop away from your ears.",
        source: "Under stress many people hunch their shoulders up toward their ears.",
    },
    PostureCue {
        text: "Is your head drifting forward toward the screen? Bring it back over your shoulders.",
        source: "Head tilted forward and shoulders rounded put the neck under load.",
    },
    PostureCue {
        text: "Sit tall without going stiff: your back keeps its natural curves.",
        source: "Good posture is not sitting rigidly at attention; the spine keeps its natural curves.",
    },
    PostureCue {
        text: "Hunched over the desk? Sit back and let your chest open.",
        source: "Hours hunched over laptops and desks overwork the upper back and neck.",
    },
    PostureCue {
        text: "On your phone? Raise it to your eyes instead of bending your neck down to it.",
        source: "Craning the neck down at a phone adds up.",
    },
];

/// The cue for the n-th posture check: they come in turn.
pub fn cue(n: usize) -> &'static str {
    POSTURE_CUES[n % POSTURE_CUES.len()].text
}
