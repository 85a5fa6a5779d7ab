import { z } from "zod";
import { RoleName, type RoleName as Role } from "./vocabulary.ts";

export const LoginRequest = z.object({
  username: z.string().trim().min(1, "enter a user name").max(128),
  password: z.string().min(1, "enter a password").max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** What each role may do. The console enables actions from this list; the server enforces it on every route. */
export const PERMISSIONS = [
  "read",
  "sync.run",
  "sync.schedule",
  "settings.edit",
  "sites.edit",
  "updates.import",
  "alerts.acknowledge",
  "users.manage",
  "tokens.manage",
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  "full-administrator": PERMISSIONS,
  "software-update-manager": [
    "read",
    "sync.run",
    "sync.schedule",
    "settings.edit",
    "updates.import",
    "alerts.acknowledge",
    "tokens.manage",
  ],
  // "View everything, change nothing" — except the analyst's own credentials (password, personal API tokens).
  "read-only-analyst": ["read", "tokens.manage"],
};

/** How each permission reads in a sentence: "Your role cannot <verb>". */
export const PERMISSION_LABELS: Record<Permission, string> = {
  read: "view Syncpoint",
  "sync.run": "start, cancel or retry synchronizations",
  "sync.schedule": "change synchronization schedules",
  "settings.edit": "change software update point settings",
  "sites.edit": "add, change or remove sites",
  "updates.import": "import updates",
  "alerts.acknowledge": "acknowledge alerts",
  "users.manage": "manage users and roles",
  "tokens.manage": "manage API tokens",
};

/** The console's languages; en-US is the source and the fallback. */
export const CONSOLE_LOCALES = ["en-US", "sv-SE", "zh-CN", "de-DE", "nl-NL", "it-IT"] as const;
export const DEFAULT_CONSOLE_LOCALE = "en-US";
export const ConsoleLocale = z.enum(CONSOLE_LOCALES, {
  error: `the console's languages are ${CONSOLE_LOCALES.join(", ")}`,
});
export type ConsoleLocale = z.infer<typeof ConsoleLocale>;

export const Me = z.object({
  username: z.string(),
  role: RoleName,
  permissions: z.array(Permission),
  mustChangePassword: z.boolean(),
  /** The user's console language: the one they chose, or en-US. */
  locale: z.string(),
  /** Whether the user chose `locale`; until they do, the console follows the browser's language. */
  localeChosen: z.boolean(),
});
export type Me = z.infer<typeof Me>;

/** `PUT /api/auth/locale`: the signed-in user's console language, remembered across sessions and browsers. */
export const SetLocaleRequest = z.object({ locale: ConsoleLocale }).strict();
export type SetLocaleRequest = z.infer<typeof SetLocaleRequest>;

export const MIN_PASSWORD_LENGTH = 12;

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, "enter the current password").max(1024),
  newPassword: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024, "use at most 1024 characters"),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;
