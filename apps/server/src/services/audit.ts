// The audit trail: one record per mutating request — who (user, role, how authenticated), what (action, target,
// before/after), when, from where, and how it ended. Routes declare their action; the route layer writes the record
// whatever the outcome, so a route cannot forget to.
import type { AuditEventDto, AuditQuery, AuthMethod, ErrorCode, Page } from "@syncpoint/contracts";
import { Prisma, type AuditEvent } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import type { Principal } from "../http/principal.ts";

export interface AuditActor {
  userId?: string;
  username: string;
  role?: string;
  /** How the actor proved who they are, when the handler established it (a successful sign-in). */
  authMethod?: AuthMethod;
}

/** What a handler adds to its request's audit record. */
export class AuditScope {
  private actorOverride: AuditActor | undefined;
  private targetType: string | undefined;
  private targetId: string | undefined;
  private beforeValue: unknown;
  private afterValue: unknown;
  private detailsValue: unknown;

  constructor(
    readonly action: string,
    private readonly principal: Principal | undefined,
  ) {}

  /** For requests whose actor is known only inside the handler (sign-in). */
  actor(actor: AuditActor): this {
    this.actorOverride = actor;
    return this;
  }

  target(type: string, id: string): this {
    this.targetType = type;
    this.targetId = id;
    return this;
  }

  before(value: unknown): this {
    this.beforeValue = value;
    return this;
  }

  after(value: unknown): this {
    this.afterValue = value;
    return this;
  }

  details(value: unknown): this {
    this.detailsValue = value;
    return this;
  }

  toRecord(
    outcome: "success" | "failure",
    errorCode: ErrorCode | undefined,
    request: RequestMeta,
  ): Prisma.AuditEventCreateInput {
    const actor: AuditActor | undefined =
      this.actorOverride ??
      (this.principal
        ? { userId: this.principal.userId, username: this.principal.username, role: this.principal.role }
        : undefined);
    const authMethod: AuthMethod = this.actorOverride?.authMethod ?? this.principal?.authMethod ?? "anonymous";
    return {
      actorUsername: actor?.username ?? null,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      authMethod,
      action: this.action,
      targetType: this.targetType ?? null,
      targetId: this.targetId ?? null,
      outcome,
      errorCode: errorCode ?? null,
      before: json(this.beforeValue),
      after: json(this.afterValue),
      details: json(this.detailsValue),
      sourceAddress: request.sourceAddress ?? null,
      userAgent: request.userAgent?.slice(0, 512) ?? null,
      requestId: request.requestId ?? null,
    };
  }
}

export interface RequestMeta {
  sourceAddress?: string;
  userAgent?: string;
  requestId?: string;
}

const json = (value: unknown) => (value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue));

export async function recordAudit(ctx: AppContext, record: Prisma.AuditEventCreateInput): Promise<void> {
  await ctx.prisma.auditEvent.create({ data: record });
}

const SORT_COLUMNS = { at: "at", action: "action", actor: "actorUsername" } as const;

export async function listAuditEvents(ctx: AppContext, query: AuditQuery): Promise<Page<AuditEventDto>> {
  const where: Prisma.AuditEventWhereInput = {
    ...(query.actor ? { actorUsername: { equals: query.actor, mode: "insensitive" } } : {}),
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.targetType ? { targetType: query.targetType } : {}),
    ...(query.targetId ? { targetId: query.targetId } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.from || query.to
      ? {
          at: {
            ...(query.from ? { gte: new Date(query.from) } : {}),
            ...(query.to ? { lte: new Date(query.to) } : {}),
          },
        }
      : {}),
  };
  const descending = query.sort.startsWith("-");
  const column = SORT_COLUMNS[query.sort.replace(/^-/, "") as keyof typeof SORT_COLUMNS];
  const [total, rows] = await ctx.prisma.$transaction([
    ctx.prisma.auditEvent.count({ where }),
    ctx.prisma.auditEvent.findMany({
      where,
      orderBy: [{ [column]: descending ? "desc" : "asc" }, { id: descending ? "desc" : "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(toDto), total, page: query.page, pageSize: query.pageSize };
}

function toDto(row: AuditEvent): AuditEventDto {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actorUsername,
    actorRole: row.actorRole,
    authMethod: row.authMethod as AuthMethod,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    outcome: row.outcome,
    errorCode: row.errorCode,
    before: row.before ?? null,
    after: row.after ?? null,
    details: row.details ?? null,
    sourceAddress: row.sourceAddress,
    requestId: row.requestId,
  };
}
