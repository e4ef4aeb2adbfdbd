/** Display names channels use when they know nothing about the user. */
const PLACEHOLDERS = /^(user|you|me|guest|anonymous|unknown|visitor|default|customer|bot|test)$/i;

/**
 * The first name to greet a user by, from the channel's display name (`from.name`): its first
 * word, when it looks like a name. Placeholders ("User", the Emulator's default), ids, emails
 * and phone numbers give nothing, so a greeting reads "Welcome!" rather than "Welcome, User!".
 *
 * ```ts
 * firstNameOf('Ann Smith'); // "Ann"
 * firstNameOf('User'); // undefined
 * ```
 */
export function firstNameOf(displayName: string | undefined, userId?: string): string | undefined {
  const name = displayName?.trim();
  if (!name || name === userId) return undefined;
  const first = name.split(/\s+/)[0];
  if (PLACEHOLDERS.test(first) || !/^\p{L}[\p{L}'’-]{0,39}$/u.test(first)) return undefined;
  return first;
}
