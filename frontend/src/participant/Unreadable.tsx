// What this phone could not open of the couple's content (sealing.ts marks it), said in words.
import { interpolate, ngettext } from "../shared/i18n";
import type { Entry } from "../shared/types";
import { UNREADABLE_TEXT } from "./e2e";

/** The step's content this phone could not open, said in words; the rest of the step works as usual. */
export function UnreadableNote({ entries }: { entries: Entry[] }) {
  const unreadable = entries.filter((e) => e.unreadable);
  if (!unreadable.length) return null;
  const reasons = [...new Set(unreadable.map((e) => UNREADABLE_TEXT[e.unreadable!]))];
  return (
    <div class="callout warn" role="status" data-unreadable={unreadable.length}>
      <p>
        {interpolate(
          ngettext("One thing here can't be shown on this phone.", "%(count)s things here can't be shown on this phone.", unreadable.length),
          { count: unreadable.length },
        )}{" "}
        {reasons.join(" ")}
      </p>
    </div>
  );
}
