/**
 * Reading QR codes from the check-in desk's camera. The browser's own `BarcodeDetector` where it
 * has one (Chrome on Android and ChromeOS, Safari on some devices); everywhere else — Firefox,
 * Chrome on Windows and Linux, older iPads — jsQR, a plain-JavaScript decoder, reads each frame
 * drawn into a canvas. jsQR is loaded only when it is needed, so the desk's page stays small.
 */

/** The QR texts seen in the video's current frame (none, or one with jsQR). */
export type FrameReader = (video: HTMLVideoElement) => Promise<string[]>;

type BarcodeDetectorLike = { detect: (source: CanvasImageSource) => Promise<Array<{ rawValue: string }>> };
type BarcodeDetectorConstructor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;
const detectorClass = (): BarcodeDetectorConstructor | null =>
  (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector ?? null;

/** Larger frames are scaled down to this many pixels on their long side: a ticket's QR stays readable, jsQR stays fast. */
const MAX_SIDE = 640;

/** Whether the browser can give the page a camera at all (a secure origin with getUserMedia). */
export const hasCamera = (): boolean =>
  typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

/** A reader for video frames: BarcodeDetector when the browser has it (and it reads QR codes), else jsQR. */
export async function frameReader(): Promise<FrameReader> {
  const Detector = detectorClass();
  if (Detector) {
    try {
      const detector = new Detector({ formats: ['qr_code'] });
      return async (video) => (await detector.detect(video)).map((code) => code.rawValue);
    } catch {
      // A BarcodeDetector without QR support throws on construction: fall through to jsQR.
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    const { videoWidth: w, videoHeight: h } = video;
    if (!context || !w || !h) return [];
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    // A printed or on-screen ticket is dark on light: trying the inverted image too would double the work.
    const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
    return code?.data ? [code.data] : [];
  };
}
