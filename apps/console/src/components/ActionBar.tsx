// The ribbon above a list and the action buttons in it. An action the signed-in user may not take, or cannot take
// right now, is shown disabled with the reason next to it, never hidden: "Your role (Read-only Analyst) cannot manage
// users and roles."
import type { Permission } from "@syncpoint/contracts";
import {
  createContext,
  useCallback,
  useContext,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/auth.ts";
import { permissionAction, roleLabel } from "../i18n/labels.ts";

interface ActionBarContextValue {
  id: string;
  /** Shows `reason` below the bar while the caller is mounted; returns the unregister. */
  register(reason: string): () => void;
}

const ActionBarContext = createContext<ActionBarContextValue | null>(null);

/** A stable element id for a reason text, so that every button with the same reason points at the same line. */
function reasonId(barId: string, reason: string): string {
  let hash = 5381;
  for (let i = 0; i < reason.length; i++) hash = ((hash * 33) ^ reason.charCodeAt(i)) >>> 0;
  return `${barId}-reason-${hash.toString(36)}`;
}

const FOCUS_KEYS = new Set(["ArrowLeft", "ArrowRight", "Home", "End"]);

/** The reasons registered by the disabled buttons under one provider, each once. */
function useReasonRegistry() {
  const id = useId();

  const [reasons, setReasons] = useState<readonly string[]>([]);
  const counts = useRef(new Map<string, number>());

  const register = useCallback((reason: string) => {
    const map = counts.current;
    const count = (map.get(reason) ?? 0) + 1;
    map.set(reason, count);
    if (count === 1) setReasons((current) => [...current, reason]);
    return () => {
      const left = (map.get(reason) ?? 1) - 1;
      if (left > 0) {
        map.set(reason, left);
        return;
      }
      map.delete(reason);
      setReasons((current) => current.filter((r) => r !== reason));
    };
  }, []);
  const context = useMemo(() => ({ id, register }), [id, register]);
  return { id, context, reasons };
}

function ReasonList({ id, reasons }: { id: string; reasons: readonly string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="action-bar__reasons">
      {reasons.map((reason) => (
        <li key={reason} id={reasonId(id, reason)} className="action-reason">
          {reason}
        </li>
      ))}
    </ul>
  );
}

/**
 * Row actions in a table (Add, Remove on each row): a disabled button's reason is said once, below the table, not
 * after every button.
 */
export function ActionReasons({ children }: { children: ReactNode }) {
  const { id, context, reasons } = useReasonRegistry();
  return (
    <ActionBarContext.Provider value={context}>
      {children}
      <ReasonList id={id} reasons={reasons} />
    </ActionBarContext.Provider>
  );
}

/**
 * The ribbon: a labelled toolbar of actions (arrow keys move between the enabled ones), and below it the reasons why
 * any of them is disabled, each reason once.
 */
export function ActionBar({ label, children }: { label: string; children: ReactNode }) {
  const { id, context, reasons } = useReasonRegistry();

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!FOCUS_KEYS.has(event.key)) return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)")];
    if (buttons.length === 0) return;
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? buttons.length - 1
          : (current + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length;
    event.preventDefault();
    buttons[next]?.focus();
  };

  return (
    <ActionBarContext.Provider value={context}>
      <div className="action-bar">
        <div role="toolbar" aria-label={label} className="action-bar__actions" onKeyDown={onKeyDown}>
          {children}
        </div>
        <ReasonList id={id} reasons={reasons} />
      </div>
    </ActionBarContext.Provider>
  );
}

/** The sentence saying the signed-in user's role lacks `permission`, or undefined when it has it. */
export function usePermissionReason(permission: Permission): { allowed: boolean; reason: string | undefined } {
  const { t } = useTranslation();
  const me = useMe().data;
  if (!me) return { allowed: false, reason: undefined };
  if (me.permissions.includes(permission)) return { allowed: true, reason: undefined };
  return {
    allowed: false,
    reason: t("permissions.reason", { role: roleLabel(t, me.role), action: permissionAction(t, permission) }),
  };
}

export interface ActionButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** The permission the action needs; without it the button is disabled and says why. */
  permission: Permission;
  /** Why the action cannot be taken right now although the role allows it ("Select a user first."). */
  unavailableReason?: string | undefined;
  variant?: "default" | "primary" | "danger";
}

/**
 * A button for a state-changing action. Disabled (really `disabled`, described by a visible reason) when the role
 * lacks `permission` or `unavailableReason` is given. In an ActionBar the reason shows below the bar, otherwise right
 * after the button.
 */
export function ActionButton({
  permission,
  unavailableReason,
  variant = "default",
  className,
  disabled,
  type = "button",
  children,
  ...rest
}: ActionButtonProps) {
  const bar = useContext(ActionBarContext);
  const ownId = useId();
  const { allowed, reason: permissionReason } = usePermissionReason(permission);
  const reason = permissionReason ?? unavailableReason;
  const register = bar?.register;

  useLayoutEffect(() => (register && reason ? register(reason) : undefined), [register, reason]);

  const describedBy = reason ? (bar ? reasonId(bar.id, reason) : `${ownId}-reason`) : undefined;
  const classes = ["button", variant === "default" ? "" : `button--${variant}`, className ?? ""].filter(Boolean);
  return (
    <>
      <button
        {...rest}
        type={type}
        className={classes.join(" ")}
        disabled={!allowed || !!unavailableReason || disabled}
        aria-describedby={[rest["aria-describedby"], describedBy].filter(Boolean).join(" ") || undefined}
      >
        {children}
      </button>
      {reason && !bar && (
        <span id={`${ownId}-reason`} className="action-reason">
          {reason}
        </span>
      )}
    </>
  );
}
