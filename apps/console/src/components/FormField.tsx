import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { FieldMessage } from "./FieldMessage.tsx";

export interface FormFieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  input: InputHTMLAttributes<HTMLInputElement>;
}

/** A labelled input with an optional hint and error message, both tied to the input for assistive technology. */
export function FormField({ id, label, hint, error, input }: FormFieldProps) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`form__field${error ? " form__field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input {...input} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {hint && (
        <p id={`${id}-hint`} className="form__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="form__error">
          <FieldMessage text={error} />
        </p>
      )}
    </div>
  );
}

export interface SelectFieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  select: SelectHTMLAttributes<HTMLSelectElement>;
  children: ReactNode;
}

/** A labelled select with an optional hint and error message, like FormField. */
export function SelectField({ id, label, hint, error, select, children }: SelectFieldProps) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`form__field${error ? " form__field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select {...select} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="form__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="form__error">
          <FieldMessage text={error} />
        </p>
      )}
    </div>
  );
}
