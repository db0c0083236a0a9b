// A DICOM image (decrypted in the browser) in dwv, the DICOM Web Viewer, loaded on demand so
// the main bundle stays small. dwv fits the image to the box; no tools (window/level, zoom) are
// wired yet.
import { useEffect, useId, useState } from 'react';
import { Alert } from 'react-bootstrap';
import { Loading } from '../../components/common.jsx';

export const isDicom = (attachment) =>
  attachment?.contentType === 'application/dicom' || /\.dcm$/i.test(attachment?.title ?? '');

export default function DicomViewer({ bytes, title }) {
  const divId = `dicom-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [state, setState] = useState('loading');
  useEffect(() => {
    let app = null;
    let live = true;
    import('dwv')
      .then(({ App, AppOptions, ViewConfig }) => {
        if (!live) return;
        app = new App();
        app.init(new AppOptions({ '*': [new ViewConfig(divId)] }));
        app.addEventListener('load', () => live && setState('loaded'));
        app.addEventListener('error', (event) => live && setState(`The DICOM file cannot be shown: ${event.error?.message ?? 'unreadable'}`));
        app.loadFiles([new File([bytes], title, { type: 'application/dicom' })]);
      })
      .catch((error) => live && setState(`The DICOM viewer failed to load: ${error.message}`));
    return () => {
      live = false;
      app?.reset();
    };
  }, [bytes, title, divId]);
  return (
    <div className="mb-3">
      {state === 'loading' && <Loading what="Rendering the DICOM image" />}
      {state !== 'loading' && state !== 'loaded' && <Alert variant="warning">{state}</Alert>}
      <div id={divId} role="img" aria-label={`DICOM image ${title}`} data-state={state} className="bg-black border" style={{ height: 320, width: '100%', position: 'relative', overflow: 'hidden' }} />
    </div>
  );
}
