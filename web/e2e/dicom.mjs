// A small DICOM Part 10 file (64 × 64, 8-bit MONOCHROME2, explicit VR little endian) made with
// dcmjs, for the imaging viewer's end-to-end test.
import dcmjs from 'dcmjs';

export function makeDicom() {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const size = 64;
  const pixels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels[y * size + x] = Math.round(255 * Math.exp(-((x - 32) ** 2 + (y - 32) ** 2) / 300));
  }
  const sop = '1.2.826.0.1.3680043.8.498.1';
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.2',
  };
  const dataset = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: sop,
    StudyInstanceUID: '1.2.826.0.1.3680043.8.498.3',
    SeriesInstanceUID: '1.2.826.0.1.3680043.8.498.4',
    Modality: 'OT',
    PatientName: 'Demo^Patient',
    Rows: size,
    Columns: size,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write());
}
