import { useState } from 'preact/hooks';
import { ORG_ID_PATTERN, routeHref } from '../logic/routes';

/** Opens an organization's page by its id, from every page. */
export function OrgJump() {
  const [orgId, setOrgId] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const id = orgId.trim();
    if (!ORG_ID_PATTERN.test(id)) return setInvalid(true);
    setInvalid(false);
    window.location.hash = routeHref({ page: 'org', orgId: id });
  };
  return (
    <form class="org-jump" role="search" aria-label="Open an organization" onSubmit={submit}>
      <label for="org-jump" class="visually-hidden">
        Organization id
      </label>
      <input
        id="org-jump"
        type="search"
        placeholder="Organization id"
        value={orgId}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? 'org-jump-error' : undefined}
        onInput={(e) => setOrgId(e.currentTarget.value)}
      />
      <button type="submit">Open</button>
      {invalid && (
        <p id="org-jump-error" class="field-error" role="alert">
          An organization id is 1 to 64 letters, digits, _ or -.
        </p>
      )}
    </form>
  );
}
