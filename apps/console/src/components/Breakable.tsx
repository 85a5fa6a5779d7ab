import { Fragment } from "react";

/**
 * A host name or URL that may wrap after its dots, slashes and colons (`cas-sup01.<wbr>corp.<wbr>contoso.<wbr>com`),
 * so that a narrow column breaks it there instead of in the middle of a word.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[./:])/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
