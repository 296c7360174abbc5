// Pairing the two partners' phones: a code (typed, or as a QR code) and three words both phones confirm;
// or one phone for both; or continuing alone. This file holds the flow (which stage, the requests); the
// stages' screens are in PairingStages.tsx.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../shared/api";
import { useStore } from "../shared/store";
import { notify, useAction } from "../shared/ui";
import { localSet, refreshMe, send, store } from "./state";
import { ChooseStage, ConfirmStage, OnePhoneStage, ShowCodeStage, TypeCodeStage, WaitingStage } from "./PairingStages";

export type Mode =
  | { name: "choose" }
  | { name: "show"; code: string; link: string; expiresAt: string }
  | { name: "type" }
  | { name: "confirm"; requestId: number; words: string[]; role: "creator" | "joiner" }
  | { name: "waiting"; words: string[] }
  | { name: "one-phone" };

interface Pending {
  request_id: number;
  words: string[];
  role: "creator" | "joiner";
  confirmed_by_me: boolean;
  partner: string | null;
}

export type Pairing = ReturnType<typeof usePairing>;

export function PairingScreen({ onClose }: { onClose?: () => void }) {
  const state = useStore(store);
  const pairing = usePairing(state.info!.session_id, onClose);
  // The typed code and the partner's name outlive a stage, as when "start again" returns to the code field.
  const [typed, setTyped] = useState("");
  const [partner2, setPartner2] = useState("");
  const { mode } = pairing;

  if (mode.name === "show") return <ShowCodeStage pairing={pairing} mode={mode} />;
  if (mode.name === "type") return <TypeCodeStage pairing={pairing} typed={typed} setTyped={setTyped} />;
  if (mode.name === "confirm") return <ConfirmStage pairing={pairing} mode={mode} />;
  if (mode.name === "waiting") return <WaitingStage pairing={pairing} words={mode.words} />;
  if (mode.name === "one-phone") return <OnePhoneStage pairing={pairing} partner2={partner2} setPartner2={setPartner2} />;
  return <ChooseStage pairing={pairing} name={state.info?.me?.name} onClose={onClose} />;
}

// The stage, the last error, and the requests that move from one stage to the next.
function usePairing(sessionId: number, onClose?: () => void) {
  const [mode, setMode] = useState<Mode>({ name: "choose" });
  const [error, setError] = useState("");
  const [busy, run] = useAction();

  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : String(err));
  const attempt = (work: () => Promise<void>) =>
    run(async () => {
      setError("");
      try {
        await work();
      } catch (err) {
        fail(err);
      }
    });
  const paired = async () => {
    await refreshMe();
    send("sync", {}, { queue: false });
    notify("Your phones are paired.");
    onClose?.();
  };
  // With the typed code; without one, for a phone that arrived by the QR link.
  const join = async (code?: string) => {
    const joined = await api.post<{ request_id: number; words: string[] }>("pair/join", {
      session_id: sessionId,
      ...(code === undefined ? {} : { code }),
    });
    setMode({ name: "confirm", requestId: joined.request_id, words: joined.words, role: "joiner" });
  };
  usePairingProgress({ sessionId, mode, setMode, fail, join, paired });

  return {
    mode,
    setMode,
    error,
    busy,
    // Another stage, without the last stage's error.
    goTo: (next: Mode) => (setError(""), setMode(next)),
    showCode: () =>
      attempt(async () => {
        const started = await api.post<{ code: string; link: string; expires_at: string }>("pair/start", {
          session_id: sessionId,
        });
        setMode({ name: "show", code: started.code, link: started.link, expiresAt: started.expires_at });
      }),
    joinTyped: (code: string) => attempt(() => join(code)),
    confirm: (requestId: number, words: string[]) =>
      attempt(async () => {
        const result = await api.post<{ paired: boolean }>("pair/confirm", { session_id: sessionId, request_id: requestId });
        if (result.paired) await paired();
        else setMode({ name: "waiting", words });
      }),
    onePhone: (partner2: string) =>
      attempt(async () => {
        const result = await api.post<{ me: Me }>("pair/one-phone", { session_id: sessionId, enabled: true });
        if (result.me.couple) localSet("partner2", result.me.couple.id, partner2.trim() || "your partner");
        await refreshMe();
        onClose?.();
      }),
    alone: () =>
      attempt(async () => {
        let coupleId = store.get().couple?.couple?.id ?? store.get().info?.me?.couple?.id;
        if (!coupleId) {
          await api.post("pair/start", { session_id: sessionId });
          await refreshMe();
          coupleId = store.get().info?.me?.couple?.id;
        }
        if (coupleId) localSet("alone", coupleId, "1");
        send("sync", {}, { queue: false });
        store.set({ tick: store.get().tick + 1 });
        onClose?.();
      }),
  };
}

interface Progress {
  sessionId: number;
  mode: Mode;
  setMode: (mode: Mode) => void;
  fail: (err: unknown) => void;
  join: () => Promise<void>;
  paired: () => Promise<void>;
}

// Pairing that began before this screen: a reload in the middle of it, or a phone that arrived by the QR
// link; then, while the code is showing or the partner has still to confirm, the partner's progress.
function usePairingProgress({ sessionId, mode, setMode, fail, join, paired }: Progress) {
  const modeRef = useRef(mode);
  modeRef.current = mode;

  useEffect(() => {
    (async () => {
      try {
        if (store.get().qrPairing) {
          store.set({ qrPairing: false });
          await join();
          return;
        }
        const { pending } = await api.get<{ pending: Pending | null }>(`sessions/${sessionId}/pair/pending`);
        if (pending) {
          setMode(
            pending.confirmed_by_me
              ? { name: "waiting", words: pending.words }
              : { name: "confirm", requestId: pending.request_id, words: pending.words, role: pending.role },
          );
        }
      } catch (err) {
        fail(err);
      }
    })();
  }, []);

  useEffect(() => {
    if (mode.name !== "show" && mode.name !== "waiting") return;
    const timer = window.setInterval(async () => {
      try {
        if (modeRef.current.name === "show") {
          const { pending } = await api.get<{ pending: Pending | null }>(`sessions/${sessionId}/pair/pending`);
          if (pending && !pending.confirmed_by_me && modeRef.current.name === "show") {
            setMode({ name: "confirm", requestId: pending.request_id, words: pending.words, role: pending.role });
          }
        } else {
          const info = await api.get<{ me: Me | null }>(`sessions/${sessionId}/me`);
          if ((info.me?.couple?.partners.length ?? 0) >= 2) await paired();
        }
      } catch {
        /* offline for a moment: the next round tries again */
      }
    }, 2000);
    return () => window.clearInterval(timer);
  }, [mode.name, sessionId]);
}
