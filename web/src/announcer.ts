/**
 * The board's voice: a chime generated with Web Audio (no sound file to ship), then the sentence
 * said with the Web Speech API. Calls are said one after another, never over each other.
 *
 * Browsers play sound only after the page had a user gesture: signing in gives one; after a
 * reload, any tap or key on the board (or the mute toggle) unlocks it. A display that must speak
 * after an unattended restart runs Chromium with `--autoplay-policy=no-user-gesture-required`.
 */

/** The chime's length: the speech starts once it has faded. */
const CHIME_MS = 900;
/** An engine that never reports the end of an utterance does not block the calls after it. */
const SPEECH_TIMEOUT_MS = 15_000;

let audio: AudioContext | null = null;
let queue: Promise<void> = Promise.resolve();
/** Bumped by `silence()`: announcements queued before it are dropped. */
let epoch = 0;

/** Creates (or resumes) the audio output; call it from a user gesture where there is one. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch {
    audio = null; // no Web Audio: the call is still spoken
  }
}

/** A soft two-tone "ding-dong" (A5, then E5). */
function chime(): void {
  unlockAudio();
  if (!audio) return;
  const start = audio.currentTime + 0.02;
  for (const [frequency, offset] of [
    [880, 0],
    [659.25, 0.32],
  ] as const) {
    const at = start + offset;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.55);
    tone.connect(gain).connect(audio.destination);
    tone.start(at);
    tone.stop(at + 0.6);
  }
}

/** Says `text` in `language` (BCP 47); resolves when it was said, failed, or timed out. */
function say(text: string, language: string): Promise<void> {
  const synth = globalThis.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language;
    const primary = language.toLowerCase().split('-')[0]!;
    const voices = synth.getVoices();
    utterance.voice =
      voices.find((v) => v.lang.toLowerCase() === language.toLowerCase()) ??
      voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === primary) ??
      null;
    const timer = setTimeout(done, SPEECH_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      resolve();
    }
    utterance.addEventListener('end', done);
    utterance.addEventListener('error', done);
    synth.speak(utterance);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues a call: chime, then `text`, after the calls queued before it. */
export function announce(text: string, language: string): void {
  const queuedIn = epoch;
  queue = queue.then(async () => {
    if (queuedIn !== epoch) return;
    chime();
    await pause(CHIME_MS);
    if (queuedIn === epoch) await say(text, language);
  });
}

/** Stops what is being said and drops what is queued (on mute). */
export function silence(): void {
  epoch++;
  globalThis.speechSynthesis?.cancel();
}
