// Add a record: a form per common FHIR type, or a file by drag and drop with a preview. It is
// encrypted here, uploaded as ciphertext, recorded on chain and its key sealed to who may read.
// Given an existing `record`, the same form adds its next version (same category).
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Col, Form, ProgressBar, Row } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { addRecord, updateRecord } from '../../state/actions.js';
import { CATEGORIES, categoryLabel } from '../../chain/scopes.js';
import { observation, medicationStatement, allergyIntolerance, clinicalNote, fileReference } from '../../crypto/fhir.js';
import { ErrorAlert } from '../../components/common.jsx';
import { formatBytes } from '../../util/format.js';
import { isPassiveImage } from '../../util/attachments.js';
import { t } from '../../i18n/index.js';

// The kinds of record the form writes (each named by records.add.kind.<id>) and the category
// each suggests.
const KINDS = [
  { id: 'lab', category: 'lab' },
  { id: 'medication', category: 'medication' },
  { id: 'allergy', category: 'allergy' },
  { id: 'note', category: 'clinical-note' },
  { id: 'file', category: 'imaging' },
];

const today = () => new Date().toISOString().slice(0, 10);

function Field({ id, label, ...props }) {
  return (
    <Form.Group className="mb-3" controlId={id}>
      <Form.Label>{label}</Form.Label>
      <Form.Control {...props} />
    </Form.Group>
  );
}

function DropZone({ file, onFile }) {
  const [active, setActive] = useState(false);
  const [preview, setPreview] = useState(null);
  const input = useRef(null);
  useEffect(() => {
    // The same allow-list as the viewer's: an SVG or HTML file is not rendered here either.
    if (!file || !isPassiveImage(file.type)) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  return (
    <div className="mb-3">
      <div
        className={`drop-zone ${active ? 'active' : ''}`}
        role="button"
        tabIndex={0}
        aria-label={file ? t('records.add.drop.another', { name: file.name, size: formatBytes(file.size) }) : undefined}
        onClick={() => input.current.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current.click()}
        onDragOver={(e) => { e.preventDefault(); setActive(true); }}
        onDragLeave={() => setActive(false)}
        onDrop={(e) => { e.preventDefault(); setActive(false); if (e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]); }}
      >
        {file ? <strong>{t('records.add.drop.file', { name: file.name, size: formatBytes(file.size) })}</strong> : t('records.add.drop.empty')}
        <input ref={input} type="file" hidden data-testid="file-input" onChange={(e) => e.target.files[0] && onFile(e.target.files[0])} />
      </div>
      {preview && file && <img src={preview} alt={t('records.add.drop.preview', { name: file.name })} className="preview-image mt-2 border" />}
    </div>
  );
}

export default function AddRecordForm({ patient, record, onAdded }) {
  const { ctx, wallet, toast } = useSession();
  const fixedCategory = record?.versions[record.versions.length - 1].category;
  const [kind, setKind] = useState('lab');
  const [category, setCategory] = useState(fixedCategory ?? 'lab');
  const [f, setF] = useState({ code: '', value: '', unit: '', low: '', high: '', date: today(), medication: '', dosage: '', substance: '', reaction: '', criticality: 'low', title: '', note: '', description: '' });
  const [file, setFile] = useState(null);
  const [progress, setProgress] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const set = (key) => (e) => setF({ ...f, [key]: e.target.value });
  // The version form sits in a dialog over a page that may show the new-record form too.
  const id = (name) => (record ? `version-${name}` : name);

  const chooseKind = (id) => {
    setKind(id);
    if (!fixedCategory) setCategory(KINDS.find((k) => k.id === id).category);
  };

  function resource() {
    switch (kind) {
      case 'lab':
        if (!f.code.trim()) throw new Error(t('records.add.error.code'));
        for (const [text, message] of [[f.low, 'records.add.error.low'], [f.high, 'records.add.error.high']]) {
          if (text.trim() && !Number.isFinite(Number(text))) throw new Error(t(message));
        }
        return observation({ patient, code: f.code.trim(), value: f.value.trim(), unit: f.unit.trim(), date: f.date, laboratory: category === 'lab', low: f.low, high: f.high });
      case 'medication':
        if (!f.medication.trim()) throw new Error(t('records.add.error.medication'));
        return medicationStatement({ patient, medication: f.medication.trim(), dosage: f.dosage.trim(), date: f.date });
      case 'allergy':
        if (!f.substance.trim()) throw new Error(t('records.add.error.substance'));
        return allergyIntolerance({ patient, substance: f.substance.trim(), reaction: f.reaction.trim(), criticality: f.criticality });
      case 'note':
        if (!f.note.trim()) throw new Error(t('records.add.error.note'));
        return clinicalNote({ patient, title: f.title.trim() || t('records.add.note.defaultTitle'), note: f.note, author: wallet.address !== patient ? wallet.address : undefined, date: new Date().toISOString() });
      default:
        throw new Error('unknown record kind');
    }
  }

  async function submit(event) {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      let fileArg = null;
      let res;
      if (kind === 'file') {
        if (!file) throw new Error(t('records.add.error.file'));
        const bytes = new Uint8Array(await file.arrayBuffer());
        // Browsers know no type for .dcm files; DICOM's registered type is application/dicom.
        const contentType = file.type || (/\.dcm$/i.test(file.name) ? 'application/dicom' : 'application/octet-stream');
        const attachment = { contentType, size: bytes.length, title: file.name };
        fileArg = { bytes, contentType: attachment.contentType, title: attachment.title };
        res = fileReference({ patient, attachment, description: f.description.trim() });
      } else {
        res = resource();
      }
      setProgress({ step: t('records.add.preparing'), done: 0, total: 1 });
      const content = { patient, category, resource: res, file: fileArg, onProgress: setProgress };
      const result = record ? await updateRecord(ctx, { ...content, record }) : await addRecord(ctx, content);
      const added = record
        ? t('records.add.done.version', { version: result.version, count: result.recipients })
        : t('records.add.done.record', { count: result.recipients });
      const keyless = result.guardiansWithoutKey ?? [];
      const warning = keyless.length ? t('records.add.done.guardiansWithoutKey', { count: keyless.length, guardians: keyless.join(', ') }) : null;
      setDone(warning ? `${added} ${warning}` : added);
      toast(record ? t('records.add.toast.version', { version: result.version }) : t('records.add.toast.record'), 'success');
      setFile(null);
      onAdded?.(result);
    } catch (e) {
      setError(e.message);
    } finally {
      setProgress(null);
    }
  }

  const percent = progress ? Math.round((100 * progress.done) / (progress.total || 1)) : 0;
  return (
    <Form onSubmit={submit} aria-label={t(record ? 'records.add.form.version' : 'records.add.form.record')}>
      <Row>
        <Col md={6}>
          <Form.Group className="mb-3" controlId={id('record-kind')}>
            <Form.Label>{t('records.add.kind')}</Form.Label>
            <Form.Select value={kind} onChange={(e) => chooseKind(e.target.value)}>
              {KINDS.map((k) => <option key={k.id} value={k.id}>{t(`records.add.kind.${k.id}`)}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
        <Col md={6}>
          <Form.Group className="mb-3" controlId={id('record-category')}>
            <Form.Label>{t('records.add.category')}</Form.Label>
            <Form.Select value={category} disabled={!!fixedCategory} onChange={(e) => setCategory(e.target.value)}>
              {CATEGORIES.map((c) => <option key={c.name} value={c.name}>{categoryLabel(c.name)}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
      </Row>
      {kind === 'lab' && (
        <Row>
          <Col md={5}><Field id={id('obs-code')} label={t('records.add.lab.code')} value={f.code} onChange={set('code')} placeholder={t('records.add.lab.codeExample')} /></Col>
          <Col md={3}><Field id={id('obs-value')} label={t('records.add.lab.value')} value={f.value} onChange={set('value')} placeholder="6.1" /></Col>
          <Col md={2}><Field id={id('obs-unit')} label={t('records.add.lab.unit')} value={f.unit} onChange={set('unit')} placeholder="%" /></Col>
          <Col md={2}><Field id={id('obs-date')} label={t('records.add.lab.date')} type="date" value={f.date} onChange={set('date')} /></Col>
          <Col md={3}><Field id={id('obs-low')} label={t('records.add.lab.low')} inputMode="decimal" value={f.low} onChange={set('low')} placeholder="4.0" /></Col>
          <Col md={3}><Field id={id('obs-high')} label={t('records.add.lab.high')} inputMode="decimal" value={f.high} onChange={set('high')} placeholder="5.6" /></Col>
        </Row>
      )}
      {kind === 'medication' && (
        <Row>
          <Col md={5}><Field id={id('med-name')} label={t('records.add.medication.name')} value={f.medication} onChange={set('medication')} placeholder={t('records.add.medication.nameExample')} /></Col>
          <Col md={5}><Field id={id('med-dosage')} label={t('records.add.medication.dosage')} value={f.dosage} onChange={set('dosage')} placeholder={t('records.add.medication.dosageExample')} /></Col>
          <Col md={2}><Field id={id('med-date')} label={t('records.add.medication.since')} type="date" value={f.date} onChange={set('date')} /></Col>
        </Row>
      )}
      {kind === 'allergy' && (
        <Row>
          <Col md={5}><Field id={id('allergy-substance')} label={t('records.add.allergy.substance')} value={f.substance} onChange={set('substance')} placeholder={t('records.add.allergy.substanceExample')} /></Col>
          <Col md={4}><Field id={id('allergy-reaction')} label={t('records.add.allergy.reaction')} value={f.reaction} onChange={set('reaction')} placeholder={t('records.add.allergy.reactionExample')} /></Col>
          <Col md={3}>
            <Form.Group className="mb-3" controlId={id('allergy-criticality')}>
              <Form.Label>{t('records.add.allergy.criticality')}</Form.Label>
              <Form.Select value={f.criticality} onChange={set('criticality')}>
                <option value="low">{t('records.add.allergy.criticality.low')}</option>
                <option value="high">{t('records.add.allergy.criticality.high')}</option>
                <option value="unable-to-assess">{t('records.add.allergy.criticality.unableToAssess')}</option>
              </Form.Select>
            </Form.Group>
          </Col>
        </Row>
      )}
      {kind === 'note' && (
        <>
          <Field id={id('note-title')} label={t('records.add.note.title')} value={f.title} onChange={set('title')} placeholder={t('records.add.note.titleExample')} />
          <Field id={id('note-text')} label={t('records.add.note.text')} as="textarea" rows={5} value={f.note} onChange={set('note')} />
        </>
      )}
      {kind === 'file' && (
        <>
          <DropZone file={file} onFile={setFile} />
          <Field id={id('file-description')} label={t('records.add.file.description')} value={f.description} onChange={set('description')} placeholder={t('records.add.file.descriptionExample')} />
        </>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {done && <Alert variant="success">{done}</Alert>}
      {progress && <ProgressBar className="mb-3" now={percent} label={t('records.add.progress', { step: progress.step, percent })} aria-label={progress.step} animated />}
      <Button type="submit" disabled={!!progress}>{progress ? t('records.add.busy', { step: progress.step }) : t(record ? 'records.add.submit.version' : 'records.add.submit.record')}</Button>
    </Form>
  );
}
