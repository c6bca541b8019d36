/** PostgreSQL rows → the contract's JSON shapes (the api's routes and signaling's chat). */
import type { ChatMessage, Meeting } from '../../../lib/gomeet/contract.ts';

export const MEETING_COLUMNS = 'id, title, host_id, max_participants, created_at';
export const CHAT_COLUMNS = 'id, meeting_id, user_id, text, created_at';

export interface MeetingRow {
  id: string;
  title: string;
  host_id: string;
  max_participants: number;
  created_at: Date;
}

export interface ChatRow {
  id: string;
  meeting_id: string;
  user_id: string;
  text: string;
  created_at: Date;
}

export function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    title: row.title,
    hostId: row.host_id,
    maxParticipants: row.max_participants,
    createdAt: row.created_at.toISOString(),
  };
}

export function toChatMessage(row: ChatRow): ChatMessage {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    userId: row.user_id,
    text: row.text,
    createdAt: row.created_at.toISOString(),
  };
}
