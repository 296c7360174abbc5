// A new help request gets noticed on the console, even in another tab or with the laptop turned away: the page's
// title counts the requests nobody has acknowledged yet ("(1) Help — …"), and a new one plays a short beep
// (WebAudio, no sound file) and vibrates where the device can. Browsers let a page play sound only after the
// person has interacted with it, so the beep starts working with the facilitator's first click or key press.
// The sound can be muted; the choice is kept on this device.
import { useState } from "preact/hooks";
import { gettext, interpolate } from "../shared/i18n";

const SOUND_KEY = "attune.console.help-sound";
const baseTitle = document.title;
const seen = new Set<number>();
let firstQueue = true;
let interacted = false;
let audio: AudioContext | null = null;

type AudioContextClass = typeof AudioContext;

function soundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== "off";
  } catch {
    return true;
  }
}

function setSound(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    /* private mode: the choice lasts as long as the page */
  }
}

/** The facilitator's first click or key press: from then on the page may play sound (and vibrate). */
function unlock(): void {
  interacted = true;
  if (!audio) {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext;
    audio = Context ? new Context() : null;
  }
  if (audio?.state === "suspended") audio.resume().catch(() => undefined);
}

export function listenForInteraction(): void {
  document.addEventListener("pointerdown", unlock, { capture: true });
  document.addEventListener("keydown", unlock, { capture: true });
}

// Two short tones (seconds from now, hertz), quiet enough for a room in a sensitive moment.
const TONES: [number, number][] = [
  [0, 880],
  [0.18, 1175],
];


function beep(): void {
  if (!audio || !soundOn()) return;
  const start = audio.currentTime + 0.01;
  for (const [offset, frequency] of TONES) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
    tone.connect(gain).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.16);
  }
}

/** Called with every roster's help queue: the title, and a beep and a vibration for a request not seen before
 *  (not for those already waiting when the console opened: the title shows them). */
export function helpQueueChanged(help: { id: number; acknowledged: boolean }[]): void {
  const waiting = help.filter((h) => !h.acknowledged).length;
  document.title = waiting ? interpolate(gettext("(%(count)s) Help — %(title)s"), { count: waiting, title: baseTitle }) : baseTitle;
  const fresh = help.some((h) => !h.acknowledged && !seen.has(h.id));
  for (const h of help) seen.add(h.id);
  if (firstQueue) {
    firstQueue = false;
    return;
  }
  if (!fresh || !interacted) return;
  beep();
  navigator.vibrate?.([120, 80, 120]);
}

export function HelpSound() {
  const [on, setOn] = useState(soundOn());
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={on}
        onChange={(e) => {
          const checked = (e.target as HTMLInputElement).checked;
          setSound(checked);
          setOn(checked);
        }}
      />
      <span>
        {gettext("Play a sound for a new help request")}
        <span class="hint"> {gettext("(on this device; the page's title counts them either way)")}</span>
      </span>
    </label>
  );
}
