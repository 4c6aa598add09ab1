import { describe, expect, it } from 'vitest';
import { feedbackBody, nextLeadStatuses } from '../src/feedback';

describe('lead feedback', () => {
  it('moves forward, or to rejected, and never out of closed or rejected', () => {
    expect(nextLeadStatuses('pushed')).toEqual(['accepted', 'verified', 'closed', 'rejected']);
    expect(nextLeadStatuses('verified')).toEqual(['closed', 'rejected']);
    expect(nextLeadStatuses('closed')).toEqual([]);
    expect(nextLeadStatuses('rejected')).toEqual([]);
  });
  it('sends counts as numbers and money as text', () => {
    expect(feedbackBody({ status: 'closed', arrests: '3', solved: '', recovered: '12,345.6', reason: '' }))
      .toEqual({ status: 'closed', arrests: 3, solved: 0, recovered: '12345.60', reason: '' });
  });
  it('names the first wrong field', () => {
    const ok = { status: 'accepted', arrests: '1', solved: '1', recovered: '0', reason: '' };
    expect(feedbackBody({ ...ok, arrests: '1.5' })).toEqual({ field: 'arrests' });
    expect(feedbackBody({ ...ok, solved: '-1' })).toEqual({ field: 'solved' });
    expect(feedbackBody({ ...ok, recovered: '1.234' })).toEqual({ field: 'recovered' });
    expect(feedbackBody({ ...ok, status: 'rejected' })).toEqual({ field: 'reason' });
  });
});
