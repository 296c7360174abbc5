// Generated from protocol.schema.json by scripts/protocol-types.mjs (npm run protocol): do not edit.
// The server declares these: realtime/registry.py (commands), workshops/steps.py (step kinds).

export type ClientMessage =
  | Ping
  | Sync
  | SessionCommand
  | CoupleAdmit
  | CoupleRemove
  | EntryPut
  | EntryDelete
  | AnswerKeepBack
  | CoupleDone
  | CouplePause
  | Dialogue
  | HelpAsk
  | HelpCancel
  | HelpAcknowledge
  | FeedbackAnswer
  | FeedbackAdd
  | FeedbackShow
  | FeedbackClose
  | FeedbackThreshold
  | FeedbackHide;
export type StepKind =
  "instruction" | "reflection" | "answer_reveal" | "worksheet" | "dialogue" | "agreement" | "poll" | "break";
export type StepConfig =
  | AgreementConfig
  | AnswerRevealConfig
  | BreakConfig
  | DialogueConfig
  | InstructionConfig
  | PollConfig
  | ReflectionConfig
  | WorksheetConfig;

/**
 * The live protocol's types for the apps (this root is no frame; it names them).
 */
export interface ProtocolTypes {
  ClientMessage?: ClientMessage;
  StepKind?: StepKind;
  StepConfig?: StepConfig;
}
/**
 * Ask for the versions (a `pong`); a client behind on one sends `sync`.
 */
export interface Ping {
  id: string;
  type: "ping";
}
/**
 * Ask for every snapshot again (after a version mismatch).
 */
export interface Sync {
  id: string;
  type: "sync";
}
/**
 * Move the session, if it is still at `expected_version`. `start` more than an hour before the planned start
 * is refused (`too_early`, saying when it is planned) unless `early` is true; `goto` takes `index`;
 * `timer.start` `seconds` (default: the step's duration); `timer.extend` and `breakout.open` `seconds`;
 * `breakout.close` `warning_seconds` (default 60); `broadcast` `text` (empty clears it; a new step clears it
 * too).
 */
export interface SessionCommand {
  id: string;
  type: "session.command";
  action:
    | "start"
    | "advance"
    | "back"
    | "goto"
    | "pause"
    | "resume"
    | "end"
    | "timer.start"
    | "timer.pause"
    | "timer.resume"
    | "timer.extend"
    | "breakout.open"
    | "breakout.close"
    | "broadcast";
  expected_version: number;
  index?: number | null;
  seconds?: number | null;
  warning_seconds?: number | null;
  text?: string | null;
  early?: boolean | null;
}
/**
 * Admit a walk-in couple to the group's anonymous feedback: it may answer the questions that open from now
 * on (enrolled couples need no admitting). Admitting twice changes nothing.
 */
export interface CoupleAdmit {
  id: string;
  type: "couple.admit";
  couple_id: number;
}
/**
 * Remove a couple from the workshop: their sockets get `removed` and close with 4410. The questions open now
 * keep counting it among the couples who can answer.
 */
export interface CoupleRemove {
  id: string;
  type: "couple.remove";
  couple_id: number;
}
/**
 * Save an entry of the current step during its breakout (or while the couple has paused). The payload is
 * sealed on the phone: `<key id>.<base64url>`, at most 16 KiB (docs/privacy.md); null with `passed`.
 * It is saved as version `expected_version` + 1, the version it was sealed for: a shared item's
 * `expected_version` is the version the phone saw (0 for a new one), a private entry's that or a later one
 * (edits still on their way). `as_partner` 2 for the second person on a shared phone.
 */
export interface EntryPut {
  id: string;
  type: "entry.put";
  step_index: number;
  kind: "reflection" | "answer" | "item" | "agreement";
  key: string;
  payload?: string | null;
  passed?: boolean;
  expected_version?: number | null;
  as_partner?: 1 | 2;
}
/**
 * Remove a worksheet item.
 */
export interface EntryDelete {
  id: string;
  type: "entry.delete";
  step_index: number;
  key: string;
  expected_version: number;
}
/**
 * Keep my answer out of the reveal (or put it back in).
 */
export interface AnswerKeepBack {
  id: string;
  type: "answer.keep_back";
  step_index: number;
  key: string;
  kept_back: boolean;
  as_partner?: 1 | 2;
}
/**
 * "We're done" with this step (or not any more).
 */
export interface CoupleDone {
  id: string;
  type: "couple.done";
  done: boolean;
}
/**
 * Raise or lower the couple's pause signal: the partner's phone shows it, staff see "paused".
 */
export interface CouplePause {
  id: string;
  type: "couple.pause";
  raised: boolean;
}
/**
 * Turn-taking dialogue: `start`, `next` phase, `swap` roles. `expected_version` is the couple version it
 * acts on.
 */
export interface Dialogue {
  id: string;
  type: "dialogue";
  action: "start" | "next" | "swap";
  expected_version: number;
}
/**
 * Ask a facilitator, as a couple or privately (the partner's phone never shows it).
 */
export interface HelpAsk {
  id: string;
  type: "help.ask";
  private?: boolean;
}
/**
 * Withdraw my (private) or our (couple) request for a facilitator.
 */
export interface HelpCancel {
  id: string;
  type: "help.cancel";
  private?: boolean;
}
/**
 * Acknowledge (and optionally resolve) a help request.
 */
export interface HelpAcknowledge {
  id: string;
  type: "help.acknowledge";
  request_id: number;
  resolve?: boolean;
}
/**
 * Answer (or pass) an anonymous prompt: acknowledged to the sender only, it changes nothing anyone else
 * sees; a second answer is acknowledged as `duplicate` and not stored. On a couple's shared phone the second
 * person answers for themself with `as_partner` 2. Its receipt, not the record of its
 * message id (which has a time), is what stops a second answer.
 */
export interface FeedbackAnswer {
  id: string;
  type: "feedback.answer";
  prompt_id: number;
  value?: unknown;
  passed?: boolean;
  as_partner?: 1 | 2;
}
/**
 * Add a live prompt.
 */
export interface FeedbackAdd {
  id: string;
  type: "feedback.add";
  kind: "scale" | "single" | "multiple" | "words" | "text";
  question: string;
  /**
   * @maxItems 10
   */
  options?: string[];
  scale?: {
    [k: string]: unknown;
  } | null;
}
/**
 * Release what can be released and show the prompt's results on the projector; the `release` reply says
 * whether anything was released.
 */
export interface FeedbackShow {
  id: string;
  prompt_id: number;
  type: "feedback.show";
}
/**
 * Close the prompt, releasing what can be released (what cannot is deleted); the `release` reply says whether
 * anything was released.
 */
export interface FeedbackClose {
  id: string;
  prompt_id: number;
  type: "feedback.close";
}
/**
 * Raise the session's anonymity threshold k (it never goes down during a session): phones, the projector
 * and the console show the new threshold.
 */
export interface FeedbackThreshold {
  id: string;
  type: "feedback.k";
  k: number;
}
/**
 * Keep a released word or text off the projector (or show it again).
 */
export interface FeedbackHide {
  id: string;
  type: "feedback.hide";
  prompt_id: number;
  answer_id: string;
  hidden: boolean;
}
/**
 * Something the couple agrees on and keeps: a trial period, a pause signal, a ritual, a conflict plan.
 */
export interface AgreementConfig {
  agreement_kind: "trial_period" | "pause_signal" | "ritual" | "conflict_plan";
  prompt: string;
  /**
   * @maxItems 10
   */
  suggestions?: string[];
  default_trial_days?: number | null;
}
/**
 * Each partner answers privately; both answers show together once both answered or passed.
 */
export interface AnswerRevealConfig {
  prompt: string;
  answer_kind?: "text" | "choice" | "scale";
  /**
   * @maxItems 8
   */
  options?: string[];
  scale?: ScaleRange | null;
}
export interface ScaleRange {
  min: number;
  max: number;
  min_label: string;
  max_label: string;
}
/**
 * A pause for everyone.
 */
export interface BreakConfig {}
/**
 * Turn-taking: a speaker and a listener, in timed phases; the roles swap each round.
 */
export interface DialogueConfig {
  topic_prompt: string;
  /**
   * @minItems 1
   * @maxItems 6
   */
  phases: DialoguePhase[];
  rounds?: number;
}
export interface DialoguePhase {
  key: "summarize" | "state" | "explore" | "agree";
  label: string;
  instructions: string;
  seconds: number;
}
/**
 * Plenary: the facilitator speaks, phones show the participant text.
 */
export interface InstructionConfig {}
/**
 * An anonymous pulse or poll; results show only in aggregate (the feedback issue).
 */
export interface PollConfig {
  question: string;
  poll_kind: "scale" | "single" | "multiple" | "words" | "text";
  /**
   * @maxItems 10
   */
  options?: string[];
  scale?: ScaleRange | null;
}
/**
 * Each partner writes privately; never revealed to anyone, the partner included.
 */
export interface ReflectionConfig {
  /**
   * @minItems 1
   * @maxItems 6
   */
  prompts: string[];
}
/**
 * A list the couple builds together, in sections (e.g. non-negotiables and negotiables).
 */
export interface WorksheetConfig {
  /**
   * @minItems 1
   * @maxItems 6
   */
  sections: WorksheetSection[];
}
export interface WorksheetSection {
  key: string;
  label: string;
  hint?: string | null;
}

export type CommandType = keyof typeof COMMAND_ROLES;

export const COMMAND_ROLES = {
  "session.command": "facilitator",
  "couple.admit": "facilitator",
  "couple.remove": "facilitator",
  "entry.put": "participant",
  "entry.delete": "participant",
  "answer.keep_back": "participant",
  "couple.done": "participant",
  "couple.pause": "participant",
  "dialogue": "participant",
  "help.ask": "participant",
  "help.cancel": "participant",
  "help.acknowledge": "facilitator",
  "feedback.answer": "participant",
  "feedback.add": "facilitator",
  "feedback.show": "facilitator",
  "feedback.close": "facilitator",
  "feedback.k": "facilitator",
  "feedback.hide": "facilitator"
} as const;

export const STEP_KINDS = {
  "instruction": {
    "label": "Instruction",
    "config": "InstructionConfig",
    "entry": null,
    "private": false,
    "reveal": false,
    "poll": false,
    "couple_phase": false
  },
  "reflection": {
    "label": "Private reflection",
    "config": "ReflectionConfig",
    "entry": "reflection",
    "private": true,
    "reveal": false,
    "poll": false,
    "couple_phase": true
  },
  "answer_reveal": {
    "label": "Answer, then reveal",
    "config": "AnswerRevealConfig",
    "entry": "answer",
    "private": true,
    "reveal": true,
    "poll": false,
    "couple_phase": true
  },
  "worksheet": {
    "label": "Shared worksheet",
    "config": "WorksheetConfig",
    "entry": "item",
    "private": false,
    "reveal": false,
    "poll": false,
    "couple_phase": true
  },
  "dialogue": {
    "label": "Turn-taking dialogue",
    "config": "DialogueConfig",
    "entry": "item",
    "private": false,
    "reveal": false,
    "poll": false,
    "couple_phase": true
  },
  "agreement": {
    "label": "Agreement",
    "config": "AgreementConfig",
    "entry": "agreement",
    "private": false,
    "reveal": false,
    "poll": false,
    "couple_phase": true
  },
  "poll": {
    "label": "Anonymous pulse or poll",
    "config": "PollConfig",
    "entry": null,
    "private": false,
    "reveal": false,
    "poll": true,
    "couple_phase": false
  },
  "break": {
    "label": "Break",
    "config": "BreakConfig",
    "entry": null,
    "private": false,
    "reveal": false,
    "poll": false,
    "couple_phase": false
  }
} as const;

// What a message of one type carries besides its id and type.
export type MessageFields<T extends ClientMessage["type"]> = Omit<Extract<ClientMessage, { type: T }>, "id" | "type">;
