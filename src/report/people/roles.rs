//! Who performs the speech act: whether a reference is the subject (or
//! the passive agent) of a verb of speaking, is given the floor, or is only
//! named.

use super::refs::{Ref, RefKind, parenthesised};
use super::words::{Tokens, has_trailing_punct};

pub(super) fn is_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "stated"
            | "reported"
            | "added"
            | "asked"
            | "invited"
            | "thanked"
            | "concluded"
            | "noted"
            | "mentioned"
            | "highlighted"
            | "explained"
            | "informed"
            | "announced"
            | "introduced"
            | "welcomed"
            | "started"
            | "began"
            | "expressed"
            | "recalled"
            | "congratulated"
            | "encouraged"
            | "suggested"
            | "proposed"
            | "agreed"
            | "disagreed"
            | "commented"
            | "shared"
            | "presented"
            | "stressed"
            | "emphasized"
            | "emphasised"
            | "clarified"
            | "answered"
            | "responded"
            | "replied"
            | "requested"
            | "touched"
            | "turned"
            | "passed"
            | "gave"
            | "proceeded"
            | "moved"
            | "continued"
            | "acknowledged"
            | "reflected"
            | "raised"
            | "addressed"
            | "discussed"
            | "described"
            | "outlined"
            | "recognized"
            | "recognised"
            | "urged"
            | "underlined"
            | "underscored"
            | "observed"
            | "pointed"
            | "indicated"
            | "hoped"
            | "believed"
            | "felt"
            | "confirmed"
            | "declared"
            | "persuaded"
            | "opened"
            | "closed"
            | "summarized"
            | "summarised"
            | "updated"
            | "briefed"
            | "elaborated"
            | "reiterated"
            | "illustrated"
            | "drew"
            | "took"
            | "called"
            | "referred"
            | "wished"
            | "complimented"
            | "inquired"
            | "enquired"
            | "queried"
            | "questioned"
            | "wondered"
            | "wanted"
            | "remarked"
            | "recommended"
            | "advised"
            | "cautioned"
            | "warned"
            | "argued"
            | "insisted"
            | "spoke"
            | "commended"
            | "praised"
            | "appreciated"
            | "conveyed"
            | "delivered"
            | "apologized"
            | "apologised"
            | "regretted"
            | "supported"
            | "endorsed"
            | "objected"
            | "appealed"
            | "offered"
            | "finished"
            | "ended"
            | "moderated"
            | "recommends"
            | "says"
            | "states"
            | "notes"
            | "adds"
            | "reports"
            | "asks"
            | "explains"
            | "highlights"
            | "suggests"
            | "recalls"
            | "thanks"
            | "stresses"
            | "emphasizes"
            | "informs"
            | "mentions"
            | "proposes"
            | "agrees"
            | "concludes"
            | "welcomes"
            | "expresses"
    )
}

pub(super) fn is_adverb(word: &str) -> bool {
    matches!(
        word,
        "then"
            | "also"
            | "further"
            | "finally"
            | "lastly"
            | "briefly"
            | "again"
            | "later"
            | "subsequently"
            | "additionally"
            | "first"
            | "firstly"
            | "kindly"
            | "however"
            | "therefore"
            | "thus"
            | "moreover"
            | "furthermore"
            | "next"
            | "immediately"
            | "warmly"
            | "strongly"
            | "fully"
            | "only"
            | "just"
            | "both"
            | "once"
            | "herself"
            | "himself"
            | "jointly"
            | "specifically"
            | "particularly"
            | "clearly"
            | "formally"
            | "initially"
            | "similarly"
            | "likewise"
            | "consequently"
            | "accordingly"
            | "together"
            | "recently"
            | "already"
            | "earlier"
            | "had"
            | "has"
            | "have"
            | "had,"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Speaker,
    /// Given the floor or invited to speak: the likely next speaker.
    FloorRecipient,
    Mention,
}

/// The role of `refs[at]` in its sentence `start..end`.
pub(super) fn role(tokens: &Tokens<'_>, refs: &[Ref], at: usize, start: usize, end: usize) -> Role {
    let found = &refs[at];
    if found.possessive {
        return Role::Mention;
    }
    if passive_agent(tokens, found, start) {
        return Role::Speaker;
    }
    match forward_role(tokens, refs, at, end) {
        Role::Mention if floor_recipient(tokens, found.first) => Role::FloorRecipient,
        role => role,
    }
}

/// Nouns of things said: "a question raised by Mr. X".
fn is_speech_noun(word: &str) -> bool {
    matches!(
        word,
        "question"
            | "questions"
            | "comment"
            | "comments"
            | "remark"
            | "remarks"
            | "point"
            | "points"
            | "concern"
            | "concerns"
            | "proposal"
            | "proposals"
            | "suggestion"
            | "suggestions"
            | "statement"
            | "statements"
            | "query"
            | "queries"
            | "presentation"
            | "presentations"
            | "request"
    )
}

/// "… was then invited by Mr. Cuna", "a comment raised by a participant",
/// "a question raised by Mr. X", "Asked by Mr. X, she said", "was opened
/// at 9 a.m. by Mr. X", "made by the Executive Secretary … and by Mr. Y".
pub(super) fn passive_agent(tokens: &Tokens<'_>, found: &Ref, start: usize) -> bool {
    if found.first < 1 + start {
        return false;
    }
    let mut by = found.first - 1;
    // "made by Mr. A; Ms. B, Minister …; and Ms. C": a list of agents.
    let before = tokens.words[by];
    if before.ends_with(';')
        || (tokens.is(by, "and") && by > start && tokens.words[by - 1].ends_with(';'))
    {
        match (start..by).rev().take(40).find(|&j| tokens.is(j, "by")) {
            Some(earlier) => by = earlier,
            None => return false,
        }
    }
    if !tokens.is(by, "by") {
        return false;
    }
    // "and by Mr. Y": the same act as the earlier "by".
    if by > start
        && tokens.is(by - 1, "and")
        && let Some(earlier) = (start..by - 1).rev().find(|&j| tokens.is(j, "by"))
    {
        by = earlier;
    }
    if by == start {
        return false;
    }
    let mut k = by - 1;
    while k > start && (is_adverb(tokens.lower(k)) || tokens.is(k, "out")) {
        k -= 1;
    }
    let verb = tokens.lower(k);
    if k == start && matches!(verb, "asked" | "questioned" | "prompted") {
        return true;
    }
    let participant = matches!(found.kind, RefKind::Participant { .. });
    let agentive = is_speech_verb(verb) || matches!(verb, "made" | "posed" | "put");
    if !agentive {
        // "was opened at 9.15 a.m. by": a few words between verb and agent.
        return (k.saturating_sub(12).max(start + 1)..k).rev().any(|j| {
            is_speech_verb(tokens.lower(j)) && matches!(tokens.lower(j - 1), "was" | "were")
        });
    }
    if participant || (k > start && is_speech_noun(tokens.lower(k - 1))) {
        return !said_at_an_earlier_meeting(tokens, found, start, k - 1);
    }
    // A named agent only of a full passive ("was invited by"), not of a
    // reduced relative ("the activities highlighted by Mr. Stucki").
    while k > start {
        k -= 1;
        let word = tokens.lower(k);
        if is_adverb(word) {
            continue;
        }
        return matches!(word, "was" | "were" | "been" | "being");
    }
    false
}

/// "recalling the proposal made by the representative of Jamaica at the
/// second meeting": what the agent said belongs to another meeting.
fn said_at_an_earlier_meeting(tokens: &Tokens<'_>, found: &Ref, start: usize, noun: usize) -> bool {
    let recalled = (noun.saturating_sub(4).max(start)..noun).any(|j| {
        matches!(
            tokens.lower(j),
            "recalling" | "recalled" | "referring" | "referred" | "citing" | "cited"
        )
    });
    let end = tokens.words.len().min(found.last + 8);
    let elsewhere = (found.last + 1..end)
        .take_while(|&j| j == found.last + 1 || !has_trailing_punct(tokens.words[j - 1]))
        .any(|j| {
            matches!(tokens.lower(j), "meeting" | "session")
                && (found.last + 1..j).any(|a| tokens.is(a, "at"))
        });
    recalled || elsewhere
}

/// "give the floor to X", "floor was then given to X", "invited X", "turned to X".
pub(super) fn floor_recipient(tokens: &Tokens<'_>, first: usize) -> bool {
    if first == 0 {
        return false;
    }
    let before = tokens.lower(first - 1);
    if matches!(before, "invited" | "invite" | "introduce" | "introduced") {
        return true;
    }
    before == "to"
        && (first.saturating_sub(5)..first - 1)
            .any(|k| matches!(tokens.lower(k), "floor" | "turned"))
}

/// The head of the predicate of `refs[at]`: the first word after the
/// reference, its affiliation, apposition, "who" and adverbs. `None` when
/// the reference is not a subject, or is coordinated ("X and Y said": see
/// [`forward_role`]).
fn predicate(tokens: &Tokens<'_>, refs: &[Ref], at: usize, end: usize) -> Option<usize> {
    let words = &tokens.words;
    let found = &refs[at];
    let mut k = found.last + 1;
    // Affiliation in parentheses: "Ms. Susan Keane (NRDC) said".
    if let Some((_, close)) = parenthesised(words, k, end) {
        k = close + 1;
    }
    // Apposition: "Mr. Fernando Lugris, Chair of INC, was invited"; a name
    // in apposition to an office closes it with its own comma.
    if k > 0 && words[k - 1].ends_with(',') && !(found.after_office && k == found.last + 1) {
        let mut close = (k..end.min(k + 15)).find(|&j| words[j].ends_with(','));
        // A participial clause may run long and hold commas of its own:
        // "The representative of X, recalling the proposal made by …, said".
        if k < end && tokens.lower(k).ends_with("ing") {
            let before_verb = (k..end.min(k + 45)).find(|&j| {
                words[j].ends_with(',')
                    && (j + 1..end.min(j + 4))
                        .find(|&v| !is_adverb(tokens.lower(v)))
                        .is_some_and(|v| is_speech_verb(tokens.lower(v)))
            });
            close = before_verb.or(close);
        }
        match close {
            Some(close) if close + 1 < end => k = close + 1,
            _ => return None,
        }
    }
    // Affiliation after "of" or "from": "Ms. X of the secretariat presented".
    if k < end
        && (tokens.is(k, "of") || tokens.is(k, "from"))
        && !matches!(found.kind, RefKind::Delegation { .. })
    {
        let mut j = k + 1;
        while j < end && j < k + 9 {
            let lower = tokens.lower(j);
            if is_speech_verb(lower) {
                k = j;
                break;
            }
            if has_trailing_punct(words[j]) {
                break;
            }
            j += 1;
        }
    }
    if k >= end {
        return None;
    }
    if tokens.is(k, "who") {
        k += 1;
    }
    while k < end && is_adverb(tokens.lower(k)) {
        k += 1;
    }
    (k < end).then_some(k)
}

/// Whether `refs[at]` takes the chair: "Mr. Y chaired the session", "she
/// would chair the meeting", "the President resumed the chair", "presided".
pub(super) fn takes_the_chair(tokens: &Tokens<'_>, refs: &[Ref], at: usize, end: usize) -> bool {
    let Some(k) = predicate(tokens, refs, at, end) else {
        return false;
    };
    let word = tokens.lower(k);
    let next = |d: usize| if k + d < end { tokens.lower(k + d) } else { "" };
    match word {
        "chaired" | "presided" | "chairs" | "presides" => true,
        "would" | "will" | "to" | "then" => matches!(next(1), "chair" | "preside"),
        "resumed" | "took" | "assumed" => next(1) == "the" && next(2) == "chair",
        _ => false,
    }
}

/// "chaired by X", "presided over by X" (not "co-chaired by").
pub(super) fn chair_agent(tokens: &Tokens<'_>, found: &Ref) -> bool {
    if found.first < 2 || !tokens.is(found.first - 1, "by") {
        return false;
    }
    let mut k = found.first - 2;
    if tokens.is(k, "over") && k > 0 {
        k -= 1;
    }
    matches!(tokens.lower(k), "chaired" | "presided")
}

/// Whether what follows `refs[at]` makes it the subject of a speech act.
pub(super) fn forward_role(tokens: &Tokens<'_>, refs: &[Ref], at: usize, end: usize) -> Role {
    let words = &tokens.words;
    let Some(k) = predicate(tokens, refs, at, end) else {
        return Role::Mention;
    };
    // Coordination: "Mr. Bernaudat and Mr. Davis reported".
    if words[k] == "and" {
        if let Some(next) = refs.iter().position(|r| r.first == k + 1) {
            return match forward_role(tokens, refs, next, end) {
                Role::Speaker => Role::Speaker,
                _ => Role::Mention,
            };
        }
        return Role::Mention;
    }
    let word = tokens.lower(k);
    if matches!(word, "was" | "were") {
        // "Mr. Toda was then given the floor to provide information".
        let mut j = k + 1;
        while j < end && is_adverb(tokens.lower(j)) {
            j += 1;
        }
        let given = j + 2 < end
            && matches!(tokens.lower(j), "given" | "offered")
            && tokens.is(j + 1, "the")
            && tokens.is(j + 2, "floor");
        if !given {
            return Role::Mention;
        }
        let purpose = j + 3 < end && words[j + 2] == "floor" && tokens.is(j + 3, "to");
        return if purpose {
            Role::Speaker
        } else {
            Role::FloorRecipient
        };
    }
    if word == "would" && k + 1 < end && tokens.is(k + 1, "like") {
        return Role::Speaker;
    }
    // "made similar statements", "made a proposal".
    if word == "made" && (k + 1..end.min(k + 4)).any(|j| is_speech_noun(tokens.lower(j))) {
        return Role::Speaker;
    }
    // Taking the chair is no speech ("took the chair for the item").
    if takes_the_chair(tokens, refs, at, end) {
        return Role::Mention;
    }
    if is_speech_verb(word) {
        Role::Speaker
    } else {
        Role::Mention
    }
}
