import type { RequestContext } from "@/lib/context/request-context";
import { caseActor } from "./case-activity";
import crypto from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { getLineage } from "@/lib/sessions/get-lineage";
import { describeItems } from "./describe-items";
import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import type { AddedCaseItem } from "./add-case-item.types";
import { lineageSnapshotSpec, type AddItemInput } from "./types";

// Cites a session, event, identity, finding or lineage graph in a case, with the analyst's annotation. The
// referenced thing must exist now. A lineage snapshot is rebuilt here from its root (lib/sessions/get-lineage.ts)
// rather than taken from the client, so the stored graph is what the correlation proved at that moment; its refId
// is the root plus a hash of the graph, so the same unchanged graph is cited once and a grown graph is a new item.
export async function addCaseItem({
  ctx,
  caseId,
  input: v,
}: {
  ctx: RequestContext;
  caseId: string;
  input: AddItemInput;
}): Promise<AddedCaseItem> {
  let refId = v.refId;
  let snapshot: Prisma.InputJsonValue | undefined;

  if (v.itemType === "lineage_snapshot") {
    const spec = lineageSnapshotSpec.parse(v.snapshot ?? {});
    const graph = await getLineage({
      ...(spec.root.type === "credential" ? { credentialId: spec.root.id } : { identityId: spec.root.id }),
      depth: spec.depth,
      limit: spec.limit,
      hide: spec.hide,
    });
    if (!graph || graph.nodes.length === 0) {
      throw new AppError(
        "NOT_FOUND",
        `There is no lineage graph for that ${spec.root.type}. Open the graph on the Lineage page and try again.`,
      );
    }
    const rootNode = graph.nodes.find((n) => n.id === spec.root.id) ?? graph.nodes.find((n) => n.depth === 0);
    const hash = crypto
      .createHash("sha256")
      .update(JSON.stringify({ nodes: graph.nodes, edges: graph.edges }))
      .digest("hex");
    refId = `${spec.root.type}:${spec.root.id}@${hash.slice(0, 16)}`;
    snapshot = JSON.parse(
      JSON.stringify({ ...graph, rootLabel: rootNode?.label ?? null, takenAt: new Date().toISOString(), sha256: hash }),
    ) as Prisma.InputJsonValue;
  } else {
    const found = (await describeItems({ refs: [{ itemType: v.itemType, refId }] })).get(`${v.itemType}:${refId}`);
    if (!found || found.missing) {
      throw new AppError(
        "NOT_FOUND",
        `No ${v.itemType} with id ${refId}. It may have been regrouped or removed; reload the page it came from.`,
        {
          refId: ["not found"],
        },
      );
    }
    // What the item looked like when cited, kept with it: sessions can be regrouped by a later correlation run.
    snapshot = { cited: { title: found.title, detail: found.detail, at: found.at } };
  }

  return inCaseTx(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === "closed") throw new AppError("CONFLICT", "This case is closed. Reopen it before adding evidence.");
    const existing = await tx.caseItem.findUnique({ where: { caseId_itemType_refId: { caseId, itemType: v.itemType, refId } } });
    if (existing) throw new AppError("CONFLICT", `This ${v.itemType.replace("_", " ")} is already in case #${c.number}.`);
    const by = caseActor(ctx);
    const item = await tx.caseItem.create({
      data: { caseId, itemType: v.itemType, refId, snapshot, annotation: v.annotation ?? null, addedById: by.id, addedByLabel: by.label },
    });
    await touchCase(tx, caseId);
    await activity(tx, ctx, caseId, "item_added", undefined, {
      itemId: item.id,
      itemType: item.itemType,
      refId,
      annotation: item.annotation,
    });
    return { id: item.id, caseId, itemType: v.itemType, refId, annotation: item.annotation, addedAt: item.addedAt.toISOString() };
  });
}
