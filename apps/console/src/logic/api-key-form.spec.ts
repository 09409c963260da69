import { MAX_KEY_NAME, copyText, parseIssueKey } from './api-key-form';

describe('parseIssueKey', () => {
  it('sends the purpose and the trimmed name', () => {
    expect(parseIssueKey('production', '  web app ')).toEqual({ purpose: 'production', name: 'web app' });
    expect(parseIssueKey('trial', 'x'.repeat(MAX_KEY_NAME))).toEqual({
      purpose: 'trial',
      name: 'x'.repeat(MAX_KEY_NAME),
    });
  });

  it('lists every problem at once', () => {
    expect(parseIssueKey('staging', '   ')).toEqual({
      problems: [
        { field: 'purpose', message: 'Choose what the key is for: trial or production.' },
        { field: 'name', message: 'Name the key, so that it can be told apart in lists.' },
      ],
    });
    expect(parseIssueKey('trial', 'x'.repeat(MAX_KEY_NAME + 1))).toEqual({
      problems: [{ field: 'name', message: 'The name may have at most 128 characters.' }],
    });
  });
});

describe('copyText', () => {
  it('writes to the clipboard when there is one', async () => {
    const written: string[] = [];
    expect(await copyText({ writeText: async (text) => void written.push(text) }, 'mg_trial_x')).toBe(true);
    expect(written).toEqual(['mg_trial_x']);
  });

  it('says so when there is no clipboard or the browser refuses', async () => {
    expect(await copyText(undefined, 'mg_trial_x')).toBe(false);
    const refusing = { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) };
    expect(await copyText(refusing, 'mg_trial_x')).toBe(false);
  });
});
