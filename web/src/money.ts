// Money is a decimal yuan string on the wire ("1700000.00"); sums are done in whole fen.
export function toFen(yuan: string | number): number {
  if (typeof yuan === 'number') return Math.round(yuan * 100);
  const s = yuan.trim();
  const neg = s.startsWith('-');
  const [whole, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const fen = Number(whole || '0') * 100 + Number((frac + '00').slice(0, 2));
  return neg ? -fen : fen;
}

export function fromFen(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

// "1,700,000.00" for people.
export function show(yuan: string | number): string {
  const s = typeof yuan === 'number' ? fromFen(yuan) : fromFen(toFen(yuan));
  const [w, f] = s.split('.');
  return `${w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}

// The last digits of an account, for chart labels: "…1234 5678".
export function shortAccount(a: string): string {
  return a.length > 8 ? `…${a.slice(-8)}` : a;
}
