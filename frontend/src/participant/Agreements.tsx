// "Our agreements" (print, download, calendar files) and "What I wrote" (export, erase).
import { useState } from "preact/hooks";
import { api, ApiError } from "../shared/api";
import { gettext, interpolate, ngettext } from "../shared/i18n";
import { useStore } from "../shared/store";
import type { Entry } from "../shared/types";
import { localDate } from "../shared/time";
import { fill, useAction } from "../shared/ui";
import { calendarFile, download, REPEAT_LABELS, type Repeat } from "./ics";
import { type PState, store } from "./state";
import { UnreadableNote } from "./Unreadable";
import { type Worksheet, WorksheetCards, worksheetsOf, worksheetsText } from "./Worksheets";

export type AgreementKind = "trial_period" | "pause_signal" | "ritual" | "conflict_plan";

export interface AgreementField {
  name: string;
  label: string;
  type: "textarea" | "date" | "time" | "repeat";
}

export const AGREEMENT_TITLES: Record<AgreementKind, string> = {
  trial_period: gettext("Our trial period"),
  pause_signal: gettext("Our pause signal"),
  ritual: gettext("Our ritual"),
  conflict_plan: gettext("Our plan for hard moments"),
};

export const AGREEMENT_FIELDS: Record<AgreementKind, AgreementField[]> = {
  trial_period: [
    { name: "text", label: gettext("What we'll try, and how we'll review it together"), type: "textarea" },
    { name: "ends_on", label: gettext("The trial ends on"), type: "date" },
  ],
  pause_signal: [
    { name: "signal", label: gettext("Our pause signal"), type: "textarea" },
    { name: "after", label: gettext("Right after the signal, we…"), type: "textarea" },
    { name: "return_when", label: gettext("We come back to the topic…"), type: "textarea" },
  ],
  ritual: [
    { name: "text", label: gettext("What we do, who starts it, and how we thank each other"), type: "textarea" },
    { name: "repeat", label: gettext("How often"), type: "repeat" },
    { name: "starts_on", label: gettext("The first time"), type: "date" },
    { name: "at", label: gettext("At (time)"), type: "time" },
  ],
  conflict_plan: [
    { name: "timeouts", label: gettext("Timeouts: how either of us calls one, and how long it lasts"), type: "textarea" },
    { name: "repair", label: gettext("Repair: what each of us says or does to reach back"), type: "textarea" },
    { name: "follow_up", label: gettext("Follow-up: when we talk again to check how it affected us"), type: "textarea" },
  ],
};

export function fieldText(field: AgreementField, value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  if (field.type === "repeat") return REPEAT_LABELS[value as Repeat] ?? String(value);
  if (field.type === "date") return localDate(`${value}T12:00:00`);
  return String(value);
}

export function agreementEntries(entries: Entry[] | undefined): Entry[] {
  const agreements = (entries ?? []).filter((e) => e.kind === "agreement" && e.payload && AGREEMENT_FIELDS[e.payload.agreement_kind as AgreementKind]);
  // A retreat's earlier sessions first (the snapshot lists them, in their order, after this session's).
  return [...agreements.filter((e) => e.session_id !== undefined), ...agreements.filter((e) => e.session_id === undefined)];
}

export function AgreementCard({ entry, headingLevel = 3 }: { entry: Entry; headingLevel?: 2 | 3 }) {
  const kind = entry.payload.agreement_kind as AgreementKind;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article class="agreement-card">
      <Heading>{AGREEMENT_TITLES[kind]}</Heading>
      <dl>
        {AGREEMENT_FIELDS[kind].map((field) => {
          const text = fieldText(field, entry.payload[field.name]);
          return text ? (
            <div key={field.name}>
              <dt>{field.label}</dt>
              <dd>{text}</dd>
            </div>
          ) : null;
        })}
      </dl>
    </article>
  );
}

function asText(workshop: string, entries: Entry[], worksheets: Worksheet[]): string {
  const blocks = entries.map((entry) => {
    const kind = entry.payload.agreement_kind as AgreementKind;
    const lines = AGREEMENT_FIELDS[kind]
      .map((f) => [f.label, fieldText(f, entry.payload[f.name])])
      .filter(([, v]) => v)
      .map(([label, value]) => `${label}:\n  ${value.replace(/\n/g, "\n  ")}`);
    return `${AGREEMENT_TITLES[kind]}\n${"=".repeat(AGREEMENT_TITLES[kind].length)}\n${lines.join("\n")}`;
  });
  const built = worksheets.length ? `\n\n${gettext("What we built together")}\n\n${worksheetsText(worksheets)}` : "";
  return `${gettext("Our agreements")}\n${workshop}\n\n${blocks.join("\n\n")}${built}\n`;
}

// Keys and file names are made out here: xgettext (which reads this file as JavaScript, for the texts to translate)
// loses its way after a template literal with a ${…} inside JSX, and misses every text after it.
const entryKey = (entry: Entry) => `${entry.step_index}-${entry.key}`;
const calendarName = (entry: Entry) => `attune-${entry.payload.agreement_kind}.ics`;

function calendarFor(entry: Entry): { label: string; body: string } | null {
  const p = entry.payload;
  if (p.agreement_kind === "ritual" && p.starts_on) {
    return {
      label: gettext("Add our ritual to my calendar (.ics)"),
      body: calendarFile([
        {
          summary: gettext("Our ritual"),           description: p.text || "",
          date: p.starts_on,
          time: p.at || undefined,
          repeat: (p.repeat as Repeat) || "weekly",
        },
      ]),
    };
  }
  if (p.agreement_kind === "trial_period" && p.ends_on) {
    return {
      label: gettext("Add the trial's review date to my calendar (.ics)"),
      body: calendarFile([{ summary: gettext("Review our trial together"), description: p.text || "", date: p.ends_on }]),
    };
  }
  return null;
}

export function AgreementsView({ onBack }: { onBack?: () => void }) {
  const state = useStore(store);
  const entries = agreementEntries(state.couple?.entries);
  const worksheets = worksheetsOf(state);
  const deleted = state.info?.me?.content_deleted_after;
  return (
    <section aria-labelledby="agreements-heading">
      <h2 id="agreements-heading">{gettext("Our agreements")}</h2>
      <UnreadableNote entries={(state.couple?.entries ?? []).filter((e) => e.kind === "agreement" || e.kind === "item")} />
      {deleted && (
        <p class="callout warn">
          {fill(
            gettext(
              "Our server deletes your couple's content after <strong>%(date)s</strong>. Save your agreements and worksheets on your phone: print them, download them, or add them to your calendar.",
            ),
            { date: localDate(deleted) },
          )}
        </p>
      )}
      {entries.length === 0 && <p>{gettext("You haven't written an agreement in this session yet.")}</p>}
      {entries.map((entry) => {
        const cal = calendarFor(entry);
        return (
          <div key={entryKey(entry)}>
            <AgreementCard entry={entry} />
            {cal && (
              <button
                type="button"
                class="quiet no-print"
                onClick={() => download(calendarName(entry), "text/calendar", cal.body)}
              >
                {cal.label}
              </button>
            )}
          </div>
        );
      })}
      <WorksheetCards worksheets={worksheets} />
      {(entries.length > 0 || worksheets.length > 0) && (
        <div class="row no-print">
          <button type="button" onClick={() => window.print()}>
            {gettext("Print")}
          </button>
          <button
            type="button"
            class="quiet"
            onClick={() => download("our-agreements.txt", "text/plain;charset=utf-8", asText(state.info?.workshop ?? "", entries, worksheets))}
          >
            {gettext("Download as a file")}
          </button>
        </div>
      )}
      {onBack && (
        <button type="button" class="link no-print" onClick={onBack}>
          {gettext("Back")}
        </button>
      )}
    </section>
  );
}

/** The couple's content as this phone can read it (decrypted here), as JSON: the export never leaves the phone
 *  but as the file the participant saves. */
export function coupleExport(state: PState): string {
  const steps = state.info?.item_steps ?? [];
  const stepOf = (e: Entry) => steps.find((s) => s.session_id === (e.session_id ?? state.info?.session_id) && s.step_index === e.step_index);
  const entries = (state.couple?.entries ?? [])
    .filter((e) => e.payload !== undefined && !e.unreadable && (e.mine || e.revealed || e.scope === "shared"))
    .map((e) => ({
      step_index: e.step_index,
      step: e.kind === "item" ? stepOf(e)?.title : undefined,
      earlier_session: e.session_id !== undefined,
      kind: e.kind,
      mine: e.mine,
      passed: e.passed ?? false,
      kept_back: e.kept_back ?? false,
      content: e.payload ?? null,
    }));
  const couple = state.couple?.couple?.partners.map((p) => p.name) ?? [];
  const exported = { workshop: state.info?.workshop, me: state.couple?.participant.name, couple, exported_at: new Date().toISOString(), entries };
  return JSON.stringify(exported, null, 2);
}

export function DataView({ onBack }: { onBack?: () => void }) {
  const state = useStore(store);
  const info = state.info!;
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState("");
  const [busy, run] = useAction();
  const deleted = info.me?.content_deleted_after;
  const erase = () =>
    run(async () => {
      try {
        const done = await api.post<{ erased: number }>("erase", { session_id: info.session_id, confirm: true });
        setResult(
          interpolate(ngettext("Erased: %(count)s entry you wrote.", "Erased: %(count)s entries you wrote.", done.erased), {
            count: done.erased,
          }),
        );
        setConfirming(false);
      } catch (err) {
        setResult(err instanceof ApiError ? err.message : String(err));
      }
    });
  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{gettext("What I wrote")}</h2>
      <p>
        {deleted ? (
          <>
            {fill(gettext("Our server deletes it after <strong>%(date)s</strong>."), { date: localDate(deleted) })}{" "}
          </>
        ) : null}
        {gettext("You can take a copy or erase it now. Anonymous feedback has no name on it, so it is neither in the copy nor erasable.")}
      </p>
      <p>
        <button type="button" class="quiet" onClick={() => download("attune-what-we-wrote.json", "application/json", coupleExport(state))}>
          {gettext("Download what I wrote")}
        </button>
      </p>
      <p class="hint">
        {gettext(
          "The copy is made on this phone, which holds your couple's key: our server only ever holds it encrypted. It has what this phone can show you: what you wrote, and what your couple shares.",
        )}
      </p>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => (setResult(""), setConfirming(true))}>
          {gettext("Erase what I wrote…")}
        </button>
      ) : (
        <div class="callout warn" role="group" aria-labelledby="erase-q">
          <p id="erase-q">
            {fill(
              gettext(
                "<strong>Erase everything you wrote in this workshop?</strong> Your private answers and reflections, and the shared items you last edited, are deleted for good. This can't be undone.",
              ),
            )}
          </p>
          <div class="row">
            <button type="button" class="danger" onClick={erase} disabled={busy}>
              {gettext("Yes, erase it")}
            </button>
            <button type="button" class="quiet" onClick={() => setConfirming(false)}>
              {gettext("Keep it")}
            </button>
          </div>
        </div>
      )}
      {result && (
        <p role="status" class="ok-text">
          {result}
        </p>
      )}
      {onBack && (
        <button type="button" class="link" onClick={onBack}>
          {gettext("Back")}
        </button>
      )}
    </section>
  );
}
