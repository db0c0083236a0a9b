// A DICOM image (decrypted in the browser) in dwv, the DICOM Web Viewer, loaded on demand so
// the main bundle stays small. Buttons (and keys, with the image focused) change window/level,
// zoom and pan, and step through the frames of a multi-frame object; dragging on the image does
// what the chosen mouse tool does. The state line says the frame, window and zoom.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Alert, Button, ButtonGroup, ButtonToolbar, Form } from 'react-bootstrap';
import { Loading } from '../../components/common.jsx';
import { clampFrame, frameDimension, stepWindowLevel, zoomStep } from '../../clinical/imaging.js';
import { t } from '../../i18n/index.js';

export const isDicom = (attachment) =>
  attachment?.contentType === 'application/dicom' || /\.dcm$/i.test(attachment?.title ?? '');

// dwv's tool names, each with its UI string id.
const MOUSE_TOOLS = [
  { id: 'WindowLevel', label: 'records.dicom.tool.windowLevel' },
  { id: 'ZoomAndPan', label: 'records.dicom.tool.zoomAndPan' },
  { id: 'Scroll', label: 'records.dicom.tool.scroll' },
];

// The parts of dwv the controls use, found once the data has loaded.
function viewOf(app) {
  const dataId = app.getDataIds().at(-1);
  const layer = app.getViewLayersByDataId(dataId)[0];
  return { controller: layer.getViewController(), group: app.getActiveLayerGroup() };
}

// What the state line and the test read: frame, window/level, zoom.
function readState(app) {
  const { controller, group } = viewOf(app);
  const size = controller.getImageSize().getValues();
  const dimension = frameDimension(size, controller.getScrollDimIndex());
  const wl = controller.getWindowLevel();
  return {
    frame: dimension === null ? 0 : controller.getCurrentIndex().get(dimension),
    frames: dimension === null ? 1 : size[dimension],
    dimension,
    center: Math.round(wl.center),
    width: Math.round(wl.width),
    zoom: Math.round(100 * group.getAddedScale().x),
  };
}

export default function DicomViewer({ bytes, title }) {
  const divId = `dicom-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [state, setState] = useState('loading');
  const [view, setView] = useState(null);
  const [tool, setTool] = useState('WindowLevel');
  const app = useRef(null);
  const dwv = useRef(null);
  const refresh = useCallback(() => app.current && setView(readState(app.current)), []);

  useEffect(() => {
    let live = true;
    import('dwv')
      .then((module) => {
        if (!live) return;
        dwv.current = module;
        const { App, AppOptions, ToolConfig, ViewConfig } = module;
        const instance = new App();
        app.current = instance;
        const options = new AppOptions({ '*': [new ViewConfig(divId)] });
        options.tools = Object.fromEntries(MOUSE_TOOLS.map((mouseTool) => [mouseTool.id, new ToolConfig()]));
        instance.init(options);
        instance.addEventListener('load', () => {
          if (!live) return;
          instance.setTool('WindowLevel');
          setState('loaded');
          refresh();
        });
        for (const type of ['wlchange', 'positionchange', 'zoomchange']) instance.addEventListener(type, () => live && refresh());
        instance.addEventListener('error', (event) => live && setState(t('records.dicom.unreadable', { reason: event.error?.message ?? t('records.dicom.unreadableReason') })));
        instance.loadFiles([new File([bytes], title, { type: 'application/dicom' })]);
      })
      .catch((error) => live && setState(t('records.dicom.failed', { reason: error.message })));
    return () => {
      live = false;
      app.current?.reset();
      app.current = null;
    };
  }, [bytes, title, divId, refresh]);

  const loaded = state === 'loaded' && view;
  const changeWindow = (action) => {
    const { controller } = viewOf(app.current);
    const next = stepWindowLevel(controller.getWindowLevel(), action);
    controller.setWindowLevel(new dwv.current.WindowLevel(next.center, next.width));
    refresh();
  };
  const zoom = (direction) => {
    const { controller, group } = viewOf(app.current);
    // Around the middle of what is shown: the image's centre in world coordinates.
    const size = controller.getImageWorldSize();
    const middle = controller.getPlanePositionFromPlanePoint(new dwv.current.Point2D(size.x / 2, size.y / 2));
    app.current.zoom(zoomStep(group.getAddedScale().x, direction), middle.getX(), middle.getY());
    refresh();
  };
  const pan = (dx, dy) => {
    const { controller, group } = viewOf(app.current);
    const size = controller.getImageWorldSize();
    const scale = group.getAddedScale().x;
    app.current.translate((dx * size.x) / 10 / scale, (dy * size.y) / 10 / scale);
    refresh();
  };
  const reset = () => {
    app.current.resetZoomPan();
    viewOf(app.current).controller.resetWindowLevel();
    refresh();
  };
  const stepFrame = (delta) => {
    const { controller } = viewOf(app.current);
    const current = readState(app.current);
    if (current.dimension === null) return;
    const values = controller.getCurrentIndex().getValues();
    values[current.dimension] = clampFrame(current.frame, delta, current.frames);
    controller.setCurrentIndex(new dwv.current.Index(values));
    refresh();
  };
  const chooseTool = (id) => {
    setTool(id);
    app.current?.setTool(id);
  };
  const onKeyDown = (event) => {
    if (!loaded) return;
    const actions = {
      PageDown: () => stepFrame(1), PageUp: () => stepFrame(-1), n: () => stepFrame(1), p: () => stepFrame(-1),
      '+': () => zoom('in'), '=': () => zoom('in'), '-': () => zoom('out'),
      ArrowLeft: () => pan(-1, 0), ArrowRight: () => pan(1, 0), ArrowUp: () => pan(0, -1), ArrowDown: () => pan(0, 1),
      b: () => changeWindow('brighter'), d: () => changeWindow('darker'), c: () => changeWindow('more-contrast'), v: () => changeWindow('less-contrast'),
      r: reset,
    };
    if (actions[event.key]) {
      event.preventDefault();
      actions[event.key]();
    }
  };
  const help = `${divId}-keys`;

  return (
    <div className="mb-3">
      {state === 'loading' && <Loading what={t('records.dicom.rendering')} />}
      {state !== 'loading' && state !== 'loaded' && <Alert variant="warning">{state}</Alert>}
      {loaded && (
        <ButtonToolbar className="gap-2 mb-2 d-print-none" aria-label={t('records.dicom.controls')}>
          {view.frames > 1 && (
            <ButtonGroup size="sm" aria-label={t('records.dicom.frames')}>
              <Button variant="outline-secondary" onClick={() => stepFrame(-1)} disabled={view.frame === 0}>{t('records.dicom.previousFrame')}</Button>
              <Button variant="outline-secondary" onClick={() => stepFrame(1)} disabled={view.frame === view.frames - 1}>{t('records.dicom.nextFrame')}</Button>
            </ButtonGroup>
          )}
          <ButtonGroup size="sm" aria-label={t('records.dicom.windowAndLevel')}>
            <Button variant="outline-secondary" onClick={() => changeWindow('brighter')}>{t('records.dicom.brighter')}</Button>
            <Button variant="outline-secondary" onClick={() => changeWindow('darker')}>{t('records.dicom.darker')}</Button>
            <Button variant="outline-secondary" onClick={() => changeWindow('more-contrast')}>{t('records.dicom.moreContrast')}</Button>
            <Button variant="outline-secondary" onClick={() => changeWindow('less-contrast')}>{t('records.dicom.lessContrast')}</Button>
          </ButtonGroup>
          <ButtonGroup size="sm" aria-label={t('records.dicom.zoomAndPan')}>
            <Button variant="outline-secondary" onClick={() => zoom('in')}>{t('records.dicom.zoomIn')}</Button>
            <Button variant="outline-secondary" onClick={() => zoom('out')}>{t('records.dicom.zoomOut')}</Button>
            <Button variant="outline-secondary" onClick={() => pan(-1, 0)} aria-label={t('records.dicom.panLeft')}>←</Button>
            <Button variant="outline-secondary" onClick={() => pan(1, 0)} aria-label={t('records.dicom.panRight')}>→</Button>
            <Button variant="outline-secondary" onClick={() => pan(0, -1)} aria-label={t('records.dicom.panUp')}>↑</Button>
            <Button variant="outline-secondary" onClick={() => pan(0, 1)} aria-label={t('records.dicom.panDown')}>↓</Button>
          </ButtonGroup>
          <Button size="sm" variant="outline-secondary" onClick={reset}>{t('records.dicom.reset')}</Button>
          <Form.Group controlId={`${divId}-tool`} className="d-flex align-items-center gap-1">
            <Form.Label className="small mb-0">{t('records.dicom.dragging')}</Form.Label>
            <Form.Select size="sm" value={tool} onChange={(e) => chooseTool(e.target.value)} style={{ width: 'auto' }}>
              {MOUSE_TOOLS.map((mouseTool) => <option key={mouseTool.id} value={mouseTool.id}>{t(mouseTool.label)}</option>)}
            </Form.Select>
          </Form.Group>
        </ButtonToolbar>
      )}
      <div
        id={divId}
        role="img"
        tabIndex={loaded ? 0 : undefined}
        onKeyDown={onKeyDown}
        aria-label={t('records.dicom.image', { title })}
        aria-describedby={loaded ? help : undefined}
        data-state={state}
        data-frame={view ? view.frame + 1 : undefined}
        data-window-center={view?.center}
        data-window-width={view?.width}
        data-zoom={view?.zoom}
        className="bg-black border dicom-view"
        style={{ height: 320, width: '100%', position: 'relative', overflow: 'hidden' }}
      />
      {loaded && (
        <>
          <p className="small mb-0" aria-live="polite" data-testid="dicom-state">
            {t('records.dicom.state', { frame: view.frame + 1, frames: view.frames, center: view.center, width: view.width, zoom: view.zoom })}
          </p>
          <p id={help} className="small text-secondary d-print-none">
            {t('records.dicom.keys')}
          </p>
        </>
      )}
    </div>
  );
}
