/**
 * The webcam: Start asks for the camera, frames are offered about 4 times a second (a frame is
 * skipped while the previous one is still being classified), Stop or leaving the view ends the stream.
 */
import {h} from "../../../ui/dom.js";

const FRAME_MS = 250;

export interface WebcamSource {
  element: HTMLElement;
  stop(): void;
}

function explain(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "Camera access was denied. Allow the camera for this page in the browser's site settings, then press Start again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera was found on this device.";
  if (name === "NotReadableError") return "The camera is in use by another program.";
  return `The camera could not start: ${error instanceof Error ? error.message : String(error)}`;
}

/** `onFrame` gets the playing video every 250 ms; the caller skips frames while it is busy. */
export function webcamSource(onFrame: (video: HTMLVideoElement) => void): WebcamSource {
  const video = h("video", {class: "webcam-video", muted: true, playsinline: true, "aria-label": "Webcam picture"});
  video.muted = true;
  const status = h("p", {class: "webcam-status", role: "status", "aria-live": "polite"}, "The camera is off.");
  const start = h("button", {type: "button", class: "primary"}, "Start webcam");
  const stopButton = h("button", {type: "button", disabled: true}, "Stop");
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    stream?.getTracks().forEach((track) => track.stop());
    stream = undefined;
    video.srcObject = null;
    start.disabled = false;
    stopButton.disabled = true;
  };
  start.addEventListener("click", async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      status.textContent =
        "This browser offers no camera access here (it needs a secure page: https or localhost) or has no camera support.";
      status.classList.add("error-text");
      return;
    }
    start.disabled = true;
    status.textContent = "Asking for the camera…";
    status.classList.remove("error-text");
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {width: {ideal: 640}, height: {ideal: 480}}});
      video.srcObject = stream;
      await video.play();
      status.textContent = "The camera is on: hold a garment in front of a plain background.";
      stopButton.disabled = false;
      timer = setInterval(() => {
        if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) onFrame(video);
      }, FRAME_MS);
    } catch (error) {
      stop();
      status.textContent = explain(error);
      status.classList.add("error-text");
    }
  });
  stopButton.addEventListener("click", () => {
    stop();
    status.textContent = "The camera is off.";
  });
  const element = h("div", {class: "webcam-source"}, video, h("div", {class: "row"}, start, stopButton), status);
  return {element, stop};
}
