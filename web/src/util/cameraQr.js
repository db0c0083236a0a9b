// Reading a QR code from the camera: the stream is asked for with getUserMedia, each video frame
// is drawn to a canvas and handed to jsQR until one decodes. No React here.
import jsQR from 'jsqr';
import { t } from '../i18n/index.js';

// A sentence for why the camera could not be used (a DOMException from getUserMedia, or none
// when the browser has no mediaDevices, e.g. over plain http from another host).
export function cameraProblem(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return t('common.camera.refused');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return t('common.camera.notFound');
    case 'NotReadableError':
      return t('common.camera.inUse');
    default:
      return error?.message ? t('common.camera.failedBecause', { reason: error.message }) : t('common.camera.failed');
  }
}

export async function openCamera() {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no camera API'), { name: 'NotFoundError' });
  return navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
}

export function stopCamera(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

// Decodes frames of `video` until a QR code is read; calls onText(text) once. Returns a
// function that stops scanning.
export function scanVideo(video, onText) {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let running = true;
  let frame = 0;
  const step = () => {
    if (!running) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        running = false;
        onText(code.data);
        return;
      }
    }
    frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => {
    running = false;
    cancelAnimationFrame(frame);
  };
}
