import { createAttune, DEFAULT_FIELD_TYPES } from '../../index';

/*
 * What the README's "Which traits are redacted, and why" says, checked on the profile an
 * `identify` leaves behind: fields named as personal lose their whole value, other strings lose
 * what the recognizers find, and the rest (what segments and tone read) is kept.
 */

const traits = {
  email: 'ann@example.com',
  first_name: 'Ann',
  lastName: 'Lee',
  Phone: '+44 20 7946 0958',
  birthday: '1990-01-02',
  address: { street: '1 High St', city: 'Leeds' },
  password: 'hunter2',
  note: 'call me on +44 20 7946 0958',
  plan: 'pro',
  tone: 'concise',
  city: 'Leeds',
  age: 34,
  vip: true,
  name: 'Ann Lee',
};

async function storedTraits(options: Parameters<typeof createAttune>[0] = {}): Promise<Record<string, unknown>> {
  const attune = createAttune({ deferWrites: false, ...options });
  try {
    await attune.identify({ userId: 'trait-docs-1', traits });
    return (await attune.profile('trait-docs-1'))!.traits;
  } finally {
    await attune.close();
  }
}

describe('traits as the profile keeps them', () => {
  test('named fields lose the whole value; other strings what the recognizers find; the rest is kept', async () => {
    expect(await storedTraits()).toEqual({
      email: '<EMAIL>',
      first_name: '<PERSON>',
      lastName: '<PERSON>',
      Phone: '<PHONE>',
      birthday: '<DATE_OF_BIRTH>',
      address: { street: '<ADDRESS>', city: '<ADDRESS>' },
      password: '<SECRET>',
      note: 'call me on <PHONE>',
      plan: 'pro',
      tone: 'concise',
      city: 'Leeds',
      age: 34,
      vip: true,
      name: 'Ann Lee',
    });
  });

  test('fields of your own extend the default list', async () => {
    const kept = await storedTraits({ redaction: { fields: { ...DEFAULT_FIELD_TYPES, name: 'PERSON', city: 'ADDRESS' } } });
    expect(kept).toMatchObject({ name: '<PERSON>', city: '<ADDRESS>', email: '<EMAIL>', plan: 'pro' });
  });
});
