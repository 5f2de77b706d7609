// A dropdown that a mouse wheel never changes: scrolling the page over a focused <select> changed
// settings silently in the Python tool. The wheel scrolls the page instead, and only a click or the
// keyboard picks a value.
import type { JSX } from 'preact';

export function SteadySelect(props: JSX.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      {...props}
      onWheel={(e) => {
        const select = e.currentTarget;
        if (document.activeElement === select) select.blur();
      }}
    />
  );
}
