import { DomainError, DomainErrorCode } from '../errors';

/** RS-10 remote family video visits (远程亲情视频会见). */
export enum VideoVisitStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

export const VIDEO_VISIT_STATUS_LABELS: Record<VideoVisitStatus, string> = {
  [VideoVisitStatus.REQUESTED]: '已申请',
  [VideoVisitStatus.CONFIRMED]: '已确认',
  [VideoVisitStatus.COMPLETED]: '已完成',
  [VideoVisitStatus.FAILED]: '未成功',
  [VideoVisitStatus.CANCELLED]: '已取消',
};

/** Who started a booking: a family at a terminal, or a prison's proposal. */
export enum VideoVisitOrigin {
  FAMILY = 'FAMILY',
  PRISON = 'PRISON',
}

const NEXT: Readonly<Record<VideoVisitStatus, readonly VideoVisitStatus[]>> = Object.freeze({
  [VideoVisitStatus.REQUESTED]: [VideoVisitStatus.CONFIRMED, VideoVisitStatus.CANCELLED],
  [VideoVisitStatus.CONFIRMED]: [VideoVisitStatus.COMPLETED, VideoVisitStatus.FAILED, VideoVisitStatus.CANCELLED],
  [VideoVisitStatus.COMPLETED]: [],
  [VideoVisitStatus.FAILED]: [],
  [VideoVisitStatus.CANCELLED]: [],
});

/** RS-10: REQUESTED → CONFIRMED → COMPLETED | FAILED | CANCELLED (a request may also be cancelled). */
export function canMoveVideoVisit(from: VideoVisitStatus, to: VideoVisitStatus): boolean {
  return NEXT[from].includes(to);
}

/** @throws DomainError(ILLEGAL_TRANSITION) for a move RS-10 does not allow. */
export function assertVideoVisitMove(from: VideoVisitStatus, to: VideoVisitStatus): void {
  if (!canMoveVideoVisit(from, to)) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `a ${from} video visit cannot become ${to} / 会见状态不能由${VIDEO_VISIT_STATUS_LABELS[from]}变为${VIDEO_VISIT_STATUS_LABELS[to]}`,
      { field: 'status', details: { from, to, allowed: NEXT[from] } },
    );
  }
}

/** Only a CONFIRMED visit holds its terminal (requests may compete; the database's exclusion constraint lets one confirmation win). */
export function holdsTerminal(status: VideoVisitStatus): boolean {
  return status === VideoVisitStatus.CONFIRMED;
}

/** RS-10: a proposed visit lasts 10 minutes to 2 hours. */
export const VIDEO_VISIT_MINUTES = Object.freeze({ min: 10, max: 120 });

export function assertVideoVisitDuration(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < VIDEO_VISIT_MINUTES.min || minutes > VIDEO_VISIT_MINUTES.max) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `durationMinutes must be ${VIDEO_VISIT_MINUTES.min}–${VIDEO_VISIT_MINUTES.max}, got ${minutes} / 会见时长须为10至120分钟`,
      { field: 'durationMinutes' },
    );
  }
}
