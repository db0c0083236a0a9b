// The navbar's inbox: the unread count as a badge, the newest items in a dropdown, marking one
// or all read. Fed by GET /v1/inbox, fetched again on every live feed message (`tick`), so
// what happened while the user was signed out is there at sign-in.
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Dropdown } from 'react-bootstrap';
import { useSession } from '../state/session.jsx';
import { describeInboxItem, fetchInbox, markInboxRead } from '../api/inbox.js';
import { formatTime, shortAddress } from '../util/format.js';
import { t } from '../i18n/index.js';

export default function InboxMenu() {
  const { api, tick } = useSession();
  const [inbox, setInbox] = useState({ items: [], unread: 0 });
  const [error, setError] = useState(null);

  const load = useCallback(() => {
    fetchInbox(api).then(
      (answer) => { setInbox(answer); setError(null); },
      (failure) => setError(failure.message),
    );
  }, [api]);
  useEffect(load, [load, tick]);

  const mark = async (ids) => {
    try {
      await markInboxRead(api, ids);
      load();
    } catch (failure) {
      setError(failure.message);
    }
  };

  return (
    <Dropdown align="end">
      <Dropdown.Toggle size="sm" variant="outline-light" aria-label={t('common.inbox.label', { count: inbox.unread })}>
        {t('common.inbox.title')} {inbox.unread > 0 && <Badge bg="danger" pill>{inbox.unread}</Badge>}
      </Dropdown.Toggle>
      <Dropdown.Menu className="inbox-menu" style={{ maxHeight: '24rem', overflowY: 'auto', minWidth: '22rem' }}>
        {error && <Dropdown.ItemText className="text-danger small">{error}</Dropdown.ItemText>}
        {inbox.items.length === 0 && !error && <Dropdown.ItemText className="small">{t('common.inbox.empty')}</Dropdown.ItemText>}
        {inbox.items.map((item) => (
          <Dropdown.Item key={item.id} as="button" className={`small text-wrap ${item.read ? 'text-muted' : 'fw-semibold'}`}
            onClick={() => !item.read && mark([item.id])} data-inbox-id={item.id}>
            {describeInboxItem(item, shortAddress)}
            <div className="text-muted">{item.read ? formatTime(item.at) : t('common.inbox.unreadAt', { at: formatTime(item.at) })}</div>
          </Dropdown.Item>
        ))}
        {inbox.unread > 0 && (
          <>
            <Dropdown.Divider />
            <Dropdown.ItemText><Button size="sm" variant="link" onClick={() => mark('all')}>{t('common.inbox.markAllRead')}</Button></Dropdown.ItemText>
          </>
        )}
      </Dropdown.Menu>
    </Dropdown>
  );
}
