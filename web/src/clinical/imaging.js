// The imaging viewer's steps, apart from dwv so they can be tested: window/level changes, zoom
// steps and which image dimension holds the frames.

// Window/level: "brighter" lowers the window centre (more of the range maps to white), "contrast"
// narrows the window; each step is a tenth of the current width, the width never below 1.
export function stepWindowLevel({ center, width }, action) {
  const step = Math.max(1, Math.round(width / 10));
  switch (action) {
    case 'brighter': return { center: center - step, width };
    case 'darker': return { center: center + step, width };
    case 'more-contrast': return { center, width: Math.max(1, width - 2 * step) };
    case 'less-contrast': return { center, width: width + 2 * step };
    default: throw new Error(`unknown window/level step ${action}`);
  }
}

// Zoom steps as dwv's LayerGroup.addScale takes them (new scale = scale × (1 + step)): in by 25 %,
// out back to the same scale, never below 25 % nor above 1600 %.
export function zoomStep(scale, direction) {
  const target = direction === 'in' ? scale * 1.25 : scale / 1.25;
  const clamped = Math.min(16, Math.max(0.25, target));
  return clamped / scale - 1;
}

// The dimension of dwv's image index that holds the frames: 3 for a multi-frame object (dwv puts
// frames there), else the scroll dimension if it has more than one slice; null for one image.
export function frameDimension(sizeValues, scrollDimension) {
  if (sizeValues.length > 3 && sizeValues[3] > 1) return 3;
  if (scrollDimension !== undefined && sizeValues[scrollDimension] > 1) return scrollDimension;
  return null;
}

// Frame `current` moved by `delta`, kept within [0, count).
export const clampFrame = (current, delta, count) => Math.min(count - 1, Math.max(0, current + delta));
