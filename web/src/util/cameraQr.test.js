import { describe, expect, test } from 'vitest';
import { cameraProblem } from './cameraQr.js';

describe('why the camera could not be used', () => {
  test('a refusal, a missing camera and a busy one each say what to do instead', () => {
    expect(cameraProblem({ name: 'NotAllowedError' })).toMatch(/^The camera permission was refused\..*upload a photo/);
    expect(cameraProblem({ name: 'NotFoundError' })).toBe('No camera was found. Upload a photo of the QR code instead.');
    expect(cameraProblem({ name: 'NotReadableError' })).toMatch(/in use by another application/);
    expect(cameraProblem({ name: 'AbortError', message: 'boom' })).toBe('The camera could not be started (boom). Upload a photo of the QR code instead.');
  });
});
