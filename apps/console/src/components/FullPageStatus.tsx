import type { ReactNode } from "react";

/** A centered message filling the window, for states before the console can show anything else. */
export function FullPageStatus({ children, role = "status" }: { children: ReactNode; role?: "status" | "alert" }) {
  return (
    <div className="full-page-status" role={role}>
      {children}
    </div>
  );
}
