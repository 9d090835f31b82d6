-- A batch left "running" by a process that stopped is marked interrupted at start-up (lib/ingest/interrupted-batches.ts).
ALTER TYPE "BatchStatus" ADD VALUE 'interrupted';
