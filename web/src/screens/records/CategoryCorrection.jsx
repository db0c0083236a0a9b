// The patient's (or a guardian's) correction of a version's category: a statement signed by the
// wallet over the version's digest on chain (docs/format.md, "Category statements"), kept by the
// node. The category decides which doctors get the version's key when access is granted later;
// a version listed without a statement (uploaded before statements existed) is shared with
// nobody until one is signed, so its current category can be signed as it is.
import { useState } from 'react';
import { Form, InputGroup } from 'react-bootstrap';
import { useSession } from '../../state/session.jsx';
import { correctCategory } from '../../state/actions.js';
import { CATEGORIES, categoryLabel } from '../../chain/scopes.js';
import { ActionButton, ErrorAlert } from '../../components/common.jsx';
import { t } from '../../i18n/index.js';

export default function CategoryCorrection({ record, version, onCorrected }) {
  const { ctx, toast } = useSession();
  const [category, setCategory] = useState(version.category);
  const [error, setError] = useState(null);
  const id = `category-${record.recordId}-${version.version}`;
  return (
    <Form onSubmit={(e) => e.preventDefault()} className="mb-2 text-break" style={{ maxWidth: 460 }}>
      <Form.Label htmlFor={id} className="small mb-1">{t('records.category.label', { version: version.version })}</Form.Label>
      <InputGroup size="sm">
        <Form.Select id={id} value={category} onChange={(e) => setCategory(e.target.value)}>
          {CATEGORIES.map((c) => <option key={c.name} value={c.name}>{categoryLabel(c.name)}</option>)}
        </Form.Select>
        <ActionButton
          variant="outline-primary"
          disabled={category === version.category && Boolean(version.categorySignature)}
          onError={(message) => setError(t('records.category.failed', { message }))}
          action={async () => {
            setError(null);
            onCorrected(await correctCategory(ctx, { record, version, category }));
            toast(t('records.category.signed', { version: version.version, category: categoryLabel(category) }), 'success');
          }}
        >
          {t(category === version.category ? 'records.category.sign' : 'records.category.change')}
        </ActionButton>
      </InputGroup>
      {!version.categorySignature && (
        <Form.Text>{t('records.category.unsigned')}</Form.Text>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />
    </Form>
  );
}
