// "Scan with camera": a dialog showing the camera, closed as soon as a patient's address is read.
// The stream stops when the dialog closes, however it closes.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal } from 'react-bootstrap';
import { cameraProblem, openCamera, scanVideo, stopCamera } from '../util/cameraQr.js';
import { t } from '../i18n/index.js';

export default function CameraQrScanner({ toAddress, onAddress }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState(null);
  const video = useRef(null);
  // The callbacks may be new on every render; the camera must not restart for that.
  const handlers = useRef({ toAddress, onAddress });
  handlers.current = { toAddress, onAddress };

  useEffect(() => {
    if (!open) return undefined;
    let stream = null;
    let stopScan = () => {};
    let live = true;
    setProblem(null);
    openCamera().then(
      (s) => {
        if (!live) return stopCamera(s);
        stream = s;
        video.current.srcObject = s;
        video.current.play().catch(() => {});
        stopScan = scanVideo(video.current, (text) => {
          try {
            const address = handlers.current.toAddress(text);
            setOpen(false);
            handlers.current.onAddress(address);
          } catch (error) {
            setProblem(error.message);
          }
        });
      },
      (error) => live && setProblem(cameraProblem(error)),
    );
    return () => {
      live = false;
      stopScan();
      stopCamera(stream);
    };
  }, [open]);

  return (
    <>
      <Button size="sm" variant="outline-secondary" className="mt-2" onClick={() => setOpen(true)}>{t('common.camera.scan')}</Button>
      <Modal show={open} onHide={() => setOpen(false)} aria-labelledby="camera-title">
        <Modal.Header closeButton><Modal.Title id="camera-title" className="fs-6">{t('common.camera.title')}</Modal.Title></Modal.Header>
        <Modal.Body>
          {problem && <Alert variant="warning" role="alert">{problem}</Alert>}
          <video ref={video} muted playsInline className="w-100 bg-dark" aria-label={t('common.camera.view')} />
        </Modal.Body>
      </Modal>
    </>
  );
}
