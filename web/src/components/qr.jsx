// QR codes for finding a patient: the patient shows their address as an EIP-681 `ethereum:`
// URI; the doctor scans it from a photo (on a phone, the file input opens the camera) or with the
// camera live (CameraQrScanner).
import { useEffect, useState } from 'react';
import { Button, Form, Modal } from 'react-bootstrap';
import QRCode from 'qrcode';
import jsQR from 'jsqr';
import { getAddress, isAddress } from 'ethers';
import { Address } from './common.jsx';
import CameraQrScanner from './CameraQrScanner.jsx';
import { t } from '../i18n/index.js';

export function addressFromQrText(text) {
  const match = /^(?:ethereum:)?(0x[0-9a-fA-F]{40})(?:[@/?].*)?$/.exec(text.trim());
  if (!match || !isAddress(match[1])) throw new Error(t('common.qr.noAddress'));
  return getAddress(match[1]);
}

export function ShowAddressQr({ address }) {
  const [show, setShow] = useState(false);
  const [url, setUrl] = useState(null);
  useEffect(() => {
    if (show) QRCode.toDataURL(`ethereum:${address}`, { width: 240, margin: 2 }).then(setUrl);
  }, [show, address]);
  return (
    <>
      <Button size="sm" variant="outline-secondary" onClick={() => setShow(true)}>{t('common.qr.show')}</Button>
      <Modal show={show} onHide={() => setShow(false)} aria-labelledby="qr-title" size="sm">
        <Modal.Header closeButton><Modal.Title id="qr-title" className="fs-6">{t('common.qr.title')}</Modal.Title></Modal.Header>
        <Modal.Body className="text-center">
          {url && <img src={url} alt={t('common.qr.alt', { address })} width={240} height={240} />}
          <div className="mt-2"><Address value={address} label={t('common.qr.yourAddress')} /></div>
        </Modal.Body>
      </Modal>
    </>
  );
}

async function decodeImage(file) {
  const bitmap = await createImageBitmap(file);
  const canvas = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const code = jsQR(data, width, height);
  if (!code) throw new Error(t('common.qr.notFound'));
  return addressFromQrText(code.data);
}

export function ScanAddressQr({ onAddress, onError }) {
  return (
    <Form.Group controlId="scan-qr" className="mt-2">
      <Form.Label className="small text-secondary">{t('common.qr.scanPhoto')}</Form.Label>
      <Form.Control
        type="file"
        accept="image/*"
        capture="environment"
        size="sm"
        onChange={async (e) => {
          const file = e.target.files[0];
          e.target.value = '';
          if (!file) return;
          try {
            onAddress(await decodeImage(file));
          } catch (error) {
            onError(error.message);
          }
        }}
      />
      <CameraQrScanner toAddress={addressFromQrText} onAddress={onAddress} />
    </Form.Group>
  );
}
