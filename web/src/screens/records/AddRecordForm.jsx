// Add a record: a form per common FHIR type, or a file by drag and drop with a preview. It is
// encrypted here, uploaded as ciphertext, recorded on chain and its key sealed to who may read.
// Given an existing `record`, the same form adds its next version (same category).
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Col, Form, ProgressBar, Row } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { addRecord, updateRecord } from '../../state/actions.js';
import { CATEGORIES } from '../../chain/scopes.js';
import { observation, medicationStatement, allergyIntolerance, clinicalNote, fileReference } from '../../crypto/fhir.js';
import { ErrorAlert } from '../../components/common.jsx';
import { formatBytes } from '../../util/format.js';
import { isPassiveImage } from '../../util/attachments.js';

const KINDS = [
  { id: 'lab', label: 'Lab result / observation', category: 'lab' },
  { id: 'medication', label: 'Medication', category: 'medication' },
  { id: 'allergy', label: 'Allergy', category: 'allergy' },
  { id: 'note', label: 'Clinical note', category: 'clinical-note' },
  { id: 'file', label: 'File (image, PDF, scan…)', category: 'imaging' },
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
        aria-label={file ? `${file.name} (${formatBytes(file.size)}): drop or choose another file` : undefined}
        onClick={() => input.current.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current.click()}
        onDragOver={(e) => { e.preventDefault(); setActive(true); }}
        onDragLeave={() => setActive(false)}
        onDrop={(e) => { e.preventDefault(); setActive(false); if (e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]); }}
      >
        {file ? <strong>{file.name} ({formatBytes(file.size)})</strong> : 'Drop a file here, or click to choose one'}
        <input ref={input} type="file" hidden data-testid="file-input" onChange={(e) => e.target.files[0] && onFile(e.target.files[0])} />
      </div>
      {preview && file && <img src={preview} alt={`Preview of ${file.name}`} className="preview-image mt-2 border" />}
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
        if (!f.code.trim()) throw new Error('Name the test or observation.');
        for (const [name, text] of [['low', f.low], ['high', f.high]]) {
          if (text.trim() && !Number.isFinite(Number(text))) throw new Error(`The reference range's ${name} end must be a number.`);
        }
        return observation({ patient, code: f.code.trim(), value: f.value.trim(), unit: f.unit.trim(), date: f.date, laboratory: category === 'lab', low: f.low, high: f.high });
      case 'medication':
        if (!f.medication.trim()) throw new Error('Name the medication.');
        return medicationStatement({ patient, medication: f.medication.trim(), dosage: f.dosage.trim(), date: f.date });
      case 'allergy':
        if (!f.substance.trim()) throw new Error('Name the substance.');
        return allergyIntolerance({ patient, substance: f.substance.trim(), reaction: f.reaction.trim(), criticality: f.criticality });
      case 'note':
        if (!f.note.trim()) throw new Error('Write the note.');
        return clinicalNote({ patient, title: f.title.trim() || 'Clinical note', note: f.note, author: wallet.address !== patient ? wallet.address : undefined, date: new Date().toISOString() });
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
        if (!file) throw new Error('Choose a file first.');
        const bytes = new Uint8Array(await file.arrayBuffer());
        // Browsers know no type for .dcm files; DICOM's registered type is application/dicom.
        const contentType = file.type || (/\.dcm$/i.test(file.name) ? 'application/dicom' : 'application/octet-stream');
        const attachment = { contentType, size: bytes.length, title: file.name };
        fileArg = { bytes, contentType: attachment.contentType, title: attachment.title };
        res = fileReference({ patient, attachment, description: f.description.trim() });
      } else {
        res = resource();
      }
      setProgress({ step: 'Preparing', done: 0, total: 1 });
      const content = { patient, category, resource: res, file: fileArg, onProgress: setProgress };
      const result = record ? await updateRecord(ctx, { ...content, record }) : await addRecord(ctx, content);
      const holders = `${result.recipients} key holder${result.recipients === 1 ? '' : 's'}`;
      const keyless = result.guardiansWithoutKey ?? [];
      const warning = keyless.length ? ` Not shared with ${keyless.length === 1 ? 'guardian' : 'guardians'} ${keyless.join(', ')}: no encryption key registered.` : '';
      setDone((record ? `Version ${result.version} added and shared with ${holders}.` : `Record added and shared with ${holders}.`) + warning);
      toast(record ? `Version ${result.version} added` : 'Record added', 'success');
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
    <Form onSubmit={submit} aria-label={record ? 'Add a version' : 'Add a record'}>
      <Row>
        <Col md={6}>
          <Form.Group className="mb-3" controlId={id('record-kind')}>
            <Form.Label>Kind of record</Form.Label>
            <Form.Select value={kind} onChange={(e) => chooseKind(e.target.value)}>
              {KINDS.map((k) => <option key={k.id} value={k.id}>{k.label}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
        <Col md={6}>
          <Form.Group className="mb-3" controlId={id('record-category')}>
            <Form.Label>Category (who may see it depends on this)</Form.Label>
            <Form.Select value={category} disabled={!!fixedCategory} onChange={(e) => setCategory(e.target.value)}>
              {CATEGORIES.map((c) => <option key={c.name} value={c.name}>{c.label}</option>)}
            </Form.Select>
          </Form.Group>
        </Col>
      </Row>
      {kind === 'lab' && (
        <Row>
          <Col md={5}><Field id={id('obs-code')} label="Test or observation" value={f.code} onChange={set('code')} placeholder="HbA1c" /></Col>
          <Col md={3}><Field id={id('obs-value')} label="Value" value={f.value} onChange={set('value')} placeholder="6.1" /></Col>
          <Col md={2}><Field id={id('obs-unit')} label="Unit" value={f.unit} onChange={set('unit')} placeholder="%" /></Col>
          <Col md={2}><Field id={id('obs-date')} label="Date" type="date" value={f.date} onChange={set('date')} /></Col>
          <Col md={3}><Field id={id('obs-low')} label="Reference range low" inputMode="decimal" value={f.low} onChange={set('low')} placeholder="4.0" /></Col>
          <Col md={3}><Field id={id('obs-high')} label="Reference range high" inputMode="decimal" value={f.high} onChange={set('high')} placeholder="5.6" /></Col>
        </Row>
      )}
      {kind === 'medication' && (
        <Row>
          <Col md={5}><Field id={id('med-name')} label="Medication" value={f.medication} onChange={set('medication')} placeholder="Metformin 500 mg" /></Col>
          <Col md={5}><Field id={id('med-dosage')} label="Dosage" value={f.dosage} onChange={set('dosage')} placeholder="twice a day" /></Col>
          <Col md={2}><Field id={id('med-date')} label="Since" type="date" value={f.date} onChange={set('date')} /></Col>
        </Row>
      )}
      {kind === 'allergy' && (
        <Row>
          <Col md={5}><Field id={id('allergy-substance')} label="Substance" value={f.substance} onChange={set('substance')} placeholder="Penicillin" /></Col>
          <Col md={4}><Field id={id('allergy-reaction')} label="Reaction" value={f.reaction} onChange={set('reaction')} placeholder="Hives" /></Col>
          <Col md={3}>
            <Form.Group className="mb-3" controlId={id('allergy-criticality')}>
              <Form.Label>Criticality</Form.Label>
              <Form.Select value={f.criticality} onChange={set('criticality')}>
                <option value="low">Low</option><option value="high">High</option><option value="unable-to-assess">Unable to assess</option>
              </Form.Select>
            </Form.Group>
          </Col>
        </Row>
      )}
      {kind === 'note' && (
        <>
          <Field id={id('note-title')} label="Title" value={f.title} onChange={set('title')} placeholder="Follow-up visit" />
          <Field id={id('note-text')} label="Note" as="textarea" rows={5} value={f.note} onChange={set('note')} />
        </>
      )}
      {kind === 'file' && (
        <>
          <DropZone file={file} onFile={setFile} />
          <Field id={id('file-description')} label="Description" value={f.description} onChange={set('description')} placeholder="Chest X-ray" />
        </>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {done && <Alert variant="success">{done}</Alert>}
      {progress && <ProgressBar className="mb-3" now={percent} label={`${progress.step} ${percent}%`} aria-label={progress.step} animated />}
      <Button type="submit" disabled={!!progress}>{progress ? `${progress.step}…` : record ? 'Encrypt and add version' : 'Encrypt and add record'}</Button>
    </Form>
  );
}
