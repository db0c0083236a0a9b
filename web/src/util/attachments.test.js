import { describe, expect, it } from 'vitest';
import { isPassiveImage, objectUrlType } from './attachments.js';

describe('attachments', () => {
  it('shows only passive images; anything that can carry script is opaque bytes', () => {
    expect(isPassiveImage('image/png')).toBe(true);
    expect(isPassiveImage('Image/JPEG; q=1')).toBe(true);
    for (const active of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/pdf', 'text/xml', '', undefined]) {
      expect(isPassiveImage(active)).toBe(false);
      expect(objectUrlType(active)).toBe('application/octet-stream');
    }
    expect(objectUrlType('image/png')).toBe('image/png');
  });
});
