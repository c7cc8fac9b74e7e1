/**
 * Anonymous means anonymous (issue 14): the free text of an anonymous request (a step note) must not carry who the
 * person is. It refuses what looks like an IIN and a surname with a given name (in either order) of a person of
 * the workstation's population register, naming the field; cancellations of anonymous requests take a reason code
 * (common/need-to-know.ts), never free text.
 */
import { ApiError } from '../../../common/errors';
import { ANONYMOUS_CANCEL_REASONS, looksLikeIin } from '../../../common/need-to-know';
import { nameKey } from '../../../common/text';
import type { Db } from '../../../db/connection';
import { personWithNameKeys } from '../../../db/people';

export function refuseIdentifyingText(db: Db, field: string, text: string | null | undefined): void {
  if (!text) return;
  if (looksLikeIin(text)) {
    throw new ApiError('validation', `${field}: an anonymous request's text must not hold an IIN`, { field, reason: 'iin' }, [field]);
  }
  const words = text
    .split(/[^\p{L}-]+/u)
    .map(nameKey)
    .filter((w) => w.length >= 2);
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i]!, words[i + 1]!];
    if (personWithNameKeys(db, a, b) || personWithNameKeys(db, b, a)) {
      throw new ApiError('validation', `${field}: an anonymous request's text must not name a person`, { field, reason: 'name' }, [field]);
    }
  }
}

export function requireAnonymousCancelReason(reason: string): void {
  if (!(ANONYMOUS_CANCEL_REASONS as readonly string[]).includes(reason.trim())) {
    throw new ApiError(
      'validation',
      `reason: an anonymous request is cancelled with one of ${ANONYMOUS_CANCEL_REASONS.join(', ')}, not free text`,
      { field: 'reason', allowed: ANONYMOUS_CANCEL_REASONS.join(',') },
      ['reason'],
    );
  }
}
