// Small DICOM Part 10 files (64 × 64, 8-bit MONOCHROME2, explicit VR little endian) made with
// dcmjs for the imaging viewer's end-to-end tests: one image, or a multi-frame object whose frames
// show a bright spot moving left to right (frame k's spot at x = 16 + 16k).
import dcmjs from 'dcmjs';

const SIZE = 64;

function spot(cx, cy) {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) pixels[y * SIZE + x] = Math.round(255 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 300));
  }
  return pixels;
}

function write({ sopClass, sop, frames }) {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const pixels = new Uint8Array(SIZE * SIZE * frames.length);
  frames.forEach((frame, i) => pixels.set(frame, i * SIZE * SIZE));
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.2',
  };
  const dataset = {
    SOPClassUID: sopClass,
    SOPInstanceUID: sop,
    StudyInstanceUID: `${sop}.3`,
    SeriesInstanceUID: `${sop}.4`,
    Modality: 'OT',
    PatientName: 'Demo^Patient',
    Rows: SIZE,
    Columns: SIZE,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  if (frames.length > 1) {
    dataset.NumberOfFrames = String(frames.length);
    // Multi-frame secondary capture requires these; the window makes the initial display known.
    dataset.FrameIncrementPointer = 0x00181063;
    dataset.FrameTime = '100';
    dataset.WindowCenter = '128';
    dataset.WindowWidth = '256';
  }
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}

export function makeDicom() {
  return write({ sopClass: '1.2.840.10008.5.1.4.1.1.7', sop: '1.2.826.0.1.3680043.8.498.1', frames: [spot(32, 32)] });
}

// Multi-frame grayscale byte secondary capture with `count` frames.
export function makeMultiFrameDicom(count = 3) {
  const frames = Array.from({ length: count }, (_, k) => spot(16 + 16 * k, 32));
  return write({ sopClass: '1.2.840.10008.5.1.4.1.1.7.2', sop: '1.2.826.0.1.3680043.8.498.11', frames });
}
