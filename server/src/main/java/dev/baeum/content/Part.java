package dev.baeum.content;


/** A lesson body is safe HTML interleaved with quizzes, which pages render with the learner's state. */
public sealed interface Part permits Part.Html, Part.QuizSlot {

    record Html(String html) implements Part {
    }

    record QuizSlot(Quiz quiz) implements Part {
    }
}
