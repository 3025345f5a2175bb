export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#1456d9" />
      <path d="M20 42a10 10 0 0 1 1-19.9A13 13 0 0 1 46 25a9 9 0 0 1-1 17.9z" fill="#fff" />
    </svg>
  );
}
