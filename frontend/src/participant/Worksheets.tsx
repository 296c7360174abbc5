// What a couple built on its shared worksheets (a boundary map, a check-in plan, a dialogue's topic), in this
// session and a retreat's earlier ones: shown with the agreements, printed and downloaded with them. The items
// arrive sealed in the couple snapshot (an earlier session's with its session_id) and are opened on this phone.
import type { ItemStep } from "../shared/api";
import { gettext } from "../shared/i18n";
import type { Entry } from "../shared/types";
import { localDate } from "../shared/time";
import type { PState } from "./state";

export interface Worksheet {
  step: ItemStep;
  earlier: boolean; // from a retreat's earlier session
  sections: { label: string; items: string[] }[];
}

const text = (entry: Entry): string => String(entry.payload?.text ?? "");

/** The couple's worksheets this phone can read, each laid out by its step's sections: a retreat's earlier
 *  sessions first, then this one's, in the program's order. */
export function worksheetsOf(state: PState): Worksheet[] {
  const sessionId = state.info?.session_id;
  const items = (state.couple?.entries ?? []).filter((e) => e.kind === "item" && e.payload && !e.unreadable && text(e));
  return (state.info?.item_steps ?? []).flatMap((step) => {
    const own = items.filter((e) => (e.session_id ?? sessionId) === step.session_id && e.step_index === step.step_index);
    if (!own.length) return [];
    const sections = step.sections.length
      ? step.sections.map((s) => ({ label: s.label, items: own.filter((e) => e.payload.section === s.key).map(text) }))
      : [{ label: gettext("Our topic"), items: own.map(text) }];
    return [{ step, earlier: step.session_id !== sessionId, sections: sections.filter((s) => s.items.length) }];
  });
}

function from(w: Worksheet): string {
  return `${w.step.exercise}${w.earlier ? ` · ${localDate(w.step.starts_at)}` : ""}`;
}

// Made out here: xgettext loses its way after a template literal with a ${…} inside JSX (Agreements.tsx).
const worksheetKey = (w: Worksheet) => `${w.step.session_id}-${w.step.step_index}`;

export function WorksheetCards({ worksheets }: { worksheets: Worksheet[] }) {
  if (!worksheets.length) return null;
  return (
    <section aria-labelledby="worksheets-heading">
      <h2 id="worksheets-heading">{gettext("What we built together")}</h2>
      {worksheets.map((w) => (
        <article class="worksheet-card" key={worksheetKey(w)}>
          <h3>{w.step.title}</h3>
          <p class="hint">{from(w)}</p>
          <dl>
            {w.sections.map((s) => (
              <div key={s.label}>
                <dt>{s.label}</dt>
                <dd>
                  <ul>
                    {s.items.map((item, n) => (
                      <li key={n}>{item}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            ))}
          </dl>
        </article>
      ))}
    </section>
  );
}

/** The worksheets as plain text, for the takeaway file. */
export function worksheetsText(worksheets: Worksheet[]): string {
  return worksheets
    .map((w) => {
      const title = `${w.step.title} (${from(w)})`;
      const sections = w.sections.map((s) => `${s.label}:\n${s.items.map((item) => `  - ${item.replace(/\n/g, "\n    ")}`).join("\n")}`);
      return `${title}\n${"=".repeat(title.length)}\n${sections.join("\n")}`;
    })
    .join("\n\n");
}
