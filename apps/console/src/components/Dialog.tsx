import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type SyntheticEvent } from "react";

export interface DialogProps {
  title: string;
  /** Called on Escape and by the caller's Cancel/Close buttons; the caller unmounts the dialog. */
  onClose: () => void;
  /** While busy (a request is on its way), Escape does not close the dialog. */
  busy?: boolean;
  /** The id of an element inside that describes the dialog (a confirmation's sentence). */
  describedBy?: string;
  role?: "dialog" | "alertdialog";
  className?: string;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: a native `<dialog>` opened with showModal (the rest of the page is inert), labelled by its title.
 * Focus goes to the element marked `data-autofocus` (else the first field or button), stays inside on Tab, and
 * returns to where it was when the dialog closes. Render it while open; unmount it to close.
 */
export function Dialog({
  title,
  onClose,
  busy = false,
  describedBy,
  role = "dialog",
  className,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef({ onClose, busy });
  useEffect(() => {
    closeRef.current = { onClose, busy };
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom has no showModal; the `open` attribute shows the dialog there.
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    const first =
      dialog.querySelector<HTMLElement>("[data-autofocus]") ??
      dialog.querySelector<HTMLElement>("input:not(:disabled), select:not(:disabled), textarea:not(:disabled)") ??
      dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (typeof dialog.close === "function" && dialog.open) dialog.close();
      // Back to the button that opened the dialog; if it is gone or disabled now, to the page's main region.
      const target =
        opener?.isConnected && !(opener as HTMLButtonElement).disabled ? opener : document.getElementById("main");
      target?.focus();
    };
  }, []);

  const requestClose = () => {
    if (!closeRef.current.busy) closeRef.current.onClose();
  };

  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    // The browser's own Escape handling would close the element behind React's back.
    event.preventDefault();
    requestClose();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      requestClose();
      return;
    }
    if (event.key !== "Tab") return;
    const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      className={["dialog", className ?? ""].filter(Boolean).join(" ")}
      onCancel={onCancel}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
