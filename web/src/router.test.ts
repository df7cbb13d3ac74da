import { describe, expect, it } from 'vitest';
import { addView, match } from './router';

describe('match', () => {
  addView({ path: '/', title: 'Search', render: () => undefined });
  addView({ path: '/subject/:id', title: 'Subject', render: () => undefined });
  addView({ path: '/a.b', title: 'Dots', render: () => undefined });

  it('maps paths to views and decodes parameters', () => {
    expect(match('/')?.view.title).toBe('Search');
    const subject = match('/subject/P%200001');
    expect(subject?.view.title).toBe('Subject');
    expect(subject?.params).toEqual({ id: 'P 0001' });
    expect(match('/subject/P1/')?.params).toEqual({ id: 'P1' });
  });

  it('matches whole segments only and escapes literal characters', () => {
    expect(match('/subject')).toBeNull();
    expect(match('/subject/P1/more')).toBeNull();
    expect(match('/aXb')).toBeNull();
    expect(match('/a.b')?.view.title).toBe('Dots');
  });
});
