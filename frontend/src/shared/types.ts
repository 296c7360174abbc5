// The live protocol's frames as the apps read them (docs/protocol.md; /live/protocol.json). What the apps send,
// and the step kinds, are generated from the server's declarations: ./protocol.ts.

import type {
  AgreementConfig,
  AnswerRevealConfig,
  DialogueConfig,
  EntryPut,
  PollConfig,
  ReflectionConfig,
  ScaleRange,
  StepKind,
  WorksheetConfig,
} from "./protocol";

import type { InLanguages } from "./content";

export type { ScaleRange, StepKind };

// A step's config, every kind's fields in one type: each kind's component reads its own (participant/steps.tsx).
export type StepConfig = Partial<
  AgreementConfig & AnswerRevealConfig & DialogueConfig & PollConfig & ReflectionConfig & WorksheetConfig
>;

export interface PublicStep extends InLanguages {
  exercise: string;
  kind: StepKind;
  title: string;
  duration_minutes: number;
  participant_text: string;
  config: StepConfig;
  couple_phase: boolean;
}

export type BreakoutState = "open" | "closing" | "closed";

export interface SessionState {
  session_id: number;
  version: number;
  status: "lobby" | "running" | "paused" | "ended";
  step_index: number | null;
  step_count: number;
  step: PublicStep | null;
  timer: { deadline: string | null; paused_remaining_ms: number | null };
  breakout: { state: BreakoutState; deadline: string | null; closes_at: string | null };
  broadcast: { text: string; at: string | null } | null;
  started_at: string | null;
  ended_at: string | null;
  // Staff only:
  run_of_show?: RunOfShowItem[];
  step_log?: { index: number; started_at: string; ended_at: string | null }[];
  anonymity_k?: number;
}

export interface RunOfShowItem extends InLanguages {
  index: number;
  exercise: string;
  kind: StepKind;
  title: string;
  planned_minutes: number;
  facilitator_notes: string;
  content_note: string;
  poll_kind?: PromptKind | null; // a poll step's kind of question
}

export interface Entry {
  kind: EntryPut["kind"];
  step_index: number;
  key: string;
  scope?: string; // "p<participant id>" (".2": the second person on a shared phone) or "shared"
  session_id?: number; // an agreement from a retreat's earlier session
  mine: boolean;
  passed?: boolean;
  kept_back?: boolean;
  version?: number;
  payload?: any;
  as_partner?: 1 | 2;
  revealed?: boolean;
  answered?: boolean;
  unreadable?: "no_key" | "other_key" | "tampered"; // this phone could not open the payload (participant/e2e.ts)
}

export interface Help {
  id: number;
  acknowledged: boolean;
}

export interface DialogueTurn {
  step: number;
  round: number;
  phase: number;
  speaker: number;
  deadline?: string;
  finished?: boolean;
}

export interface CoupleState {
  participant: { id: number; name: string };
  couple: null | {
    id: number;
    partners: { id: number; name: string }[];
    one_phone: boolean;
    alone: boolean;
    admitted?: boolean; // false: a walk-in couple a facilitator has not admitted to the anonymous feedback yet
  };
  removed?: boolean;
  step_index?: number;
  done?: boolean;
  pause?: { raised: boolean; by_me: boolean };
  dialogue?: DialogueTurn | null;
  couple_help?: Help | null;
  private_help: Help | null;
  entries?: Entry[];
}

export interface RosterCouple {
  couple_id: number;
  names: string;
  partners: number;
  one_phone: boolean;
  walk_in: boolean; // joined by the session code, not by an enrollment
  admitted: boolean; // may answer the anonymous questions that open from now on (a walk-in waits for couple.admit)
  devices: number;
  status: "working" | "done" | "paused" | "needs_help" | "offline";
  done: boolean;
}

export interface Roster {
  couples: RosterCouple[];
  unpaired: { participant_id: number; name: string; online: boolean }[];
  help: {
    id: number;
    couple_id: number | null;
    names: string;
    private: boolean;
    who: string | null;
    asked_at: string;
    acknowledged: boolean;
  }[];
  ready: number;
  couples_present: number;
  at: string;
}

export interface Frame {
  type: string;
  id?: string | null;
  [key: string]: any;
}

// --- anonymous feedback (feedback frames; feedback/snapshots.py) ----------------------------------------------

export type PromptKind = "scale" | "single" | "multiple" | "words" | "text";

export interface FeedbackPrompt extends InLanguages {
  id: number;
  source: "step" | "live" | "survey";
  kind: PromptKind;
  question: string;
  options: string[];
  scale: ScaleRange | null;
  state: "open" | "closed";
  threshold?: number; // the answers a release of it needs (the session's k; at least 8 for words and text)
  // Who can answer it, frozen when it opened: how many couples, how many of them walk-ins, and (phones and the
  // projector only) their couple ids.
  couples: number;
  walk_ins: number;
  eligible?: number[];
}

/** A released result: only ever whole releases of at least the threshold, never a pending count. */
export interface FeedbackResult {
  answers: number;
  couples: number; // how many couples the released answers came from
  counts?: { value?: number; option?: string; count: number }[];
  mean?: number;
  items?: { id?: string; value: string; hidden?: boolean }[];
  words?: { word: string; count: number }[];
}

/** What staff get per prompt: its released result (null: not enough answers yet) and its threshold. */
export interface StaffPrompt extends FeedbackPrompt {
  on_projector: boolean;
  result: FeedbackResult | null;
  threshold: number;
}

export interface ShownResult extends InLanguages {
  prompt_id: number;
  question: string;
  kind: PromptKind;
  result: FeedbackResult | null;
}
