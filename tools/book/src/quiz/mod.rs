//! The chapter quizzes: the pinned `mdbook-quiz` [`preprocessor`] that renders
//! them, and the [`validator`] that checks the quiz files it reads.

pub mod preprocessor;
pub mod validator;

pub use preprocessor::{MDBOOK_QUIZ_VERSION, QuizPreprocessor, ensure_installed};
pub use validator::{QUESTIONS, check_quiz_text, check_quizzes, find_quizzes};
