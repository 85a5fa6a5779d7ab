import { englishParts } from "../api/error-text.ts";

/**
 * A field's error message as a form shows it: in the user's language, except what the server sent in English for want
 * of a translation (a reason code newer than the console, or none), which is marked lang="en".
 */
export function FieldMessage({ text }: { text: string }) {
  const parts = englishParts(text);
  if (!parts.some((part) => part.english)) return text;
  return (
    <>
      {parts.map((part, index) =>
        part.english ? (
          <span key={index} lang="en">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
