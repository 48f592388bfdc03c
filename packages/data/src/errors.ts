/** What went wrong with a dataset file. */
export type DatasetErrorCode =
  | 'missing-file'
  | 'bad-magic'
  | 'truncated'
  | 'size-mismatch'
  | 'label-range'
  | 'bad-shape'
  | 'wrong-dataset'
  | 'bad-option';

/** A dataset file that is missing, corrupt or of another dataset; the message names the file and what was expected. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    /** The file concerned, if any. */
    readonly file?: string,
  ) {
    super(message);
  }
}
