// Problems of an imported file, located where the person who edits it will look: a sheet, row and
// column of a workbook, or an item of a JSON file. Pure; messages are translated by the caller
// from `code` and `params` (library.json `import.problems`; `content.<code>` for the validator's
// own checks, `import.content`), except `detail`, which is a sentence or an `errors:` key.
import { formatPath } from '../validate'

export interface CellPlace {
  sheet: string
  row: number // as Excel shows it (1 = the header)
  column?: string // A, B, … (absent when the whole row is meant)
}

export type ProblemPlace = CellPlace | { item: string } // item: the id (or position) of the item in a JSON file

export type ImportProblem = {
  place?: ProblemPlace
  code: string
  params?: Record<string, string | number>
  /** Other places the message names ("also row 4"): a place when the reader knows it, else the content path as text. */
  refs?: Record<string, ProblemPlace | string>
}

type PathSegment = string | number

/** Remembers where each part of the built content came from, so a problem at any path finds its cell. */
export class Locator {
  private readonly places = new Map<string, CellPlace>()
  set(path: PathSegment[], place: CellPlace) {
    this.places.set(formatPath(path), place)
  }
  /** The place of the path, or of its nearest parent that has one. */
  find(path: readonly PathSegment[]): CellPlace | undefined {
    for (let length = path.length; length >= 0; length--) {
      const place = this.places.get(formatPath(path.slice(0, length)))
      if (place) return place
    }
    return undefined
  }
}
