import type { InputHTMLAttributes, Ref } from 'react';

type CredentialInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: string;
  /** A sentence under the field (what a code looks like, how long a password must be). */
  hint?: string;
  onValue: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
};

/**
 * One labelled field of the account screens (address, password, code): the label wraps the input so a
 * click on it focuses the field, and a hint below when there is one. Sign-in, the forgotten password,
 * a new password and the second factor all use it, so they look and read the same.
 */
export function CredentialInput({ label, hint, onValue, ref, ...input }: CredentialInputProps) {
  return (
    <label>
      <span>{label}</span>
      <input ref={ref} {...input} onChange={(e) => onValue(e.target.value)} />
      {hint && <span className="hint">{hint}</span>}
    </label>
  );
}
